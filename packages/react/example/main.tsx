// The React example: the seed's flows (sign in, pick or create an organization, members with
// "load more", invite, change a role, remove) on @orgkit/react's hooks.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { OrgKitProvider } from "@orgkit/react";
import { kit } from "./sdk.ts";
import { App } from "./App.tsx";

const root = document.getElementById("root");
if (root === null) throw new Error("no #root element");
createRoot(root).render(
  <StrictMode>
    <OrgKitProvider kit={kit}>
      <App />
    </OrgKitProvider>
  </StrictMode>,
);
