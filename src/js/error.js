/** What every orgkit method rejects with: a real `Error`, so `err instanceof OrgKitError` works. */
export class OrgKitError extends Error {
  constructor(code, status, message) {
    super(message);
    this.name = "OrgKitError";
    this.code = code;
    this.status = status;
  }
}
