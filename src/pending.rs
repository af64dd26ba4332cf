//! `Pending<T>`: what a thin export hands back. To JS it is the `Promise` of `send.rs` (the
//! `.d.ts` names its `Promise<...>` type); to Rust (the browser tests) it is awaitable, giving
//! `Result<T, JsValue>` with the rejection (an `OrgKitError`) as the error.

use crate::invitation::Invitation;
use crate::membership::OrganizationMembership;
use crate::organization::Organization;
use js_sys::Promise;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use wasm_bindgen::convert::IntoWasmAbi;
use wasm_bindgen::describe::WasmDescribe;
use wasm_bindgen::JsValue;

/// A `Promise` that resolves to a `T`.
pub struct Pending<T> {
    promise: Promise,
    answer: PhantomData<fn() -> T>,
}

impl<T> From<Promise> for Pending<T> {
    fn from(promise: Promise) -> Self {
        Pending {
            promise,
            answer: PhantomData,
        }
    }
}

impl<T> WasmDescribe for Pending<T> {
    fn describe() {
        <Promise as WasmDescribe>::describe();
    }
}

impl<T> IntoWasmAbi for Pending<T> {
    type Abi = <Promise as IntoWasmAbi>::Abi;

    fn into_abi(self) -> Self::Abi {
        self.promise.into_abi()
    }
}

/// What a `Pending` resolves to, read back from the JS value it settled with.
pub trait Answer: Sized {
    /// `value`, as `Self`; an `Err` when it is something else.
    fn from_answer(value: JsValue) -> Result<Self, JsValue>;
}

impl Answer for JsValue {
    fn from_answer(value: JsValue) -> Result<Self, JsValue> {
        Ok(value)
    }
}

impl Answer for () {
    fn from_answer(_: JsValue) -> Result<Self, JsValue> {
        Ok(())
    }
}

impl<T: Answer> Answer for Vec<T> {
    fn from_answer(value: JsValue) -> Result<Self, JsValue> {
        js_sys::Array::from(&value)
            .iter()
            .map(T::from_answer)
            .collect()
    }
}

macro_rules! class_answers {
    ($($class:ty),*) => {$(
        impl Answer for $class {
            fn from_answer(value: JsValue) -> Result<Self, JsValue> {
                <$class as wasm_bindgen::convert::TryFromJsValue>::try_from_js_value(value)
            }
        }
    )*};
}

class_answers!(Organization, OrganizationMembership, Invitation);

impl<T: Answer + 'static> IntoFuture for Pending<T> {
    type Output = Result<T, JsValue>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, JsValue>>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let value = wasm_bindgen_futures::JsFuture::from(self.promise).await?;
            T::from_answer(value)
        })
    }
}
