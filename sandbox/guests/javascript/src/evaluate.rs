//! The grader's evaluation step: statements and an expression evaluated
//! after the program ran, in its global scope, and the value read back
//! natively.
//!
//! The value is walked here, in Rust, from Boa's own objects: a Proxy, an
//! object with another prototype than `Object.prototype` (a class
//! instance), a getter, a `valueOf` or a `Symbol.toPrimitive` are never
//! called; such values are written as `other` and equal nothing on the
//! host.

use boa_engine::builtins::map::ordered_map::OrderedMap;
use boa_engine::builtins::set::ordered_set::OrderedSet;
use boa_engine::property::PropertyKey;
use boa_engine::value::JsVariant;
use boa_engine::{Context, JsObject, JsResult, JsValue, Source, js_string};
use fabrique_guest_common::value::{
    EvaluateRequest, Exchange, TooLarge, ValueWriter, error_result, value_result,
};
use std::cell::RefCell;
use std::path::Path;

thread_local! {
    static EXCHANGE: RefCell<Exchange> = const { RefCell::new(Exchange::new()) };
}

/// Makes room for the host's request and returns its address.
pub fn request_buffer(length: usize) -> *mut u8 {
    EXCHANGE.with(|exchange| exchange.borrow_mut().request_buffer(length))
}

/// Runs the request and keeps the result for the host. `format_error`
/// turns an error the program raised into the text Node would print.
pub fn evaluate(
    ctx: &mut Context,
    format_error: fn(&mut Context, boa_engine::JsError) -> String,
) -> u64 {
    let request = EXCHANGE.with(|exchange| EvaluateRequest::parse(&exchange.borrow().request));
    let result = match request {
        None => error_result("fabrique: unreadable evaluation request"),
        Some(request) => match run(ctx, &request) {
            Ok(value) => {
                let mut writer = ValueWriter::default();
                match write(ctx, &value, &mut writer) {
                    Ok(()) => value_result(&writer.finish()),
                    Err(TooLarge) => {
                        let mut writer = ValueWriter::default();
                        let _ = writer.other("valeur trop grande");
                        value_result(&writer.finish())
                    }
                }
            }
            Err(err) => error_result(&format_error(ctx, err)),
        },
    };
    EXCHANGE.with(|exchange| exchange.borrow_mut().answer(result))
}

/// The setup and the expression, in a function of their own: the setup's
/// `let` and `const` stay in it, and the program's globals are in scope.
fn run(ctx: &mut Context, request: &EvaluateRequest) -> JsResult<JsValue> {
    let source = format!(
        "(function () {{\n{}\nreturn (\n{}\n);\n}})()",
        request.setup, request.expression
    );
    ctx.eval(Source::from_bytes(&source).with_path(Path::new("<test>")))
}

fn write(ctx: &mut Context, value: &JsValue, w: &mut ValueWriter) -> Result<(), TooLarge> {
    match value.variant() {
        JsVariant::Null => w.unit("null"),
        JsVariant::Undefined => w.unit("undefined"),
        JsVariant::Boolean(b) => w.bool(b),
        JsVariant::Integer32(n) => w.float(f64::from(n)),
        JsVariant::Float64(n) => w.float(n),
        JsVariant::BigInt(n) => w.int(&n.to_string()),
        JsVariant::String(s) => w.str(&s.to_std_string_lossy()),
        JsVariant::Symbol(_) => w.other("symbol"),
        JsVariant::Object(object) => write_object(ctx, &object, w),
    }
}

/// Is `object`'s prototype exactly `expected`?
fn has_prototype(object: &JsObject, expected: &JsObject) -> bool {
    object
        .prototype()
        .is_some_and(|prototype| JsObject::equals(&prototype, expected))
}

fn write_object(ctx: &mut Context, object: &JsObject, w: &mut ValueWriter) -> Result<(), TooLarge> {
    let constructors = ctx.intrinsics().constructors();
    let array_prototype = constructors.array().prototype();
    let object_prototype = constructors.object().prototype();
    let map_prototype = constructors.map().prototype();
    let set_prototype = constructors.set().prototype();
    if object.is_array() && has_prototype(object, &array_prototype) {
        let length = data_property(object, &js_string!("length").into())
            .and_then(|length| length.as_number())
            .unwrap_or(0.0) as u32;
        w.open("list")?;
        for index in 0..length {
            w.item(index == 0);
            match own_data(object, &PropertyKey::from(index)) {
                Ok(Some(item)) => write(ctx, &item, w)?,
                Ok(None) => w.unit("undefined")?,
                Err(()) => w.other("accessor")?,
            }
        }
        w.close();
        Ok(())
    } else if object.is::<OrderedMap<JsValue>>() && has_prototype(object, &map_prototype) {
        let entries: Vec<(JsValue, JsValue)> = object
            .downcast_ref::<OrderedMap<JsValue>>()
            .map(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        w.open("dict")?;
        for (index, (key, item)) in entries.iter().enumerate() {
            w.item(index == 0);
            w.open_pair();
            write(ctx, key, w)?;
            w.pair_separator();
            write(ctx, item, w)?;
            w.close_pair();
        }
        w.close();
        Ok(())
    } else if object.is::<OrderedSet>() && has_prototype(object, &set_prototype) {
        let items: Vec<JsValue> = object
            .downcast_ref::<OrderedSet>()
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default();
        w.open("set")?;
        for (index, item) in items.iter().enumerate() {
            w.item(index == 0);
            write(ctx, item, w)?;
        }
        w.close();
        Ok(())
    } else if object.is_ordinary()
        && (object.prototype().is_none() || has_prototype(object, &object_prototype))
    {
        // An ordinary object's own keys come from its property table: no
        // program code runs (a Proxy is not ordinary).
        let keys = object.own_property_keys(ctx).unwrap_or_default();
        w.open("object")?;
        let mut first = true;
        for key in keys {
            let name = match &key {
                PropertyKey::String(name) => name.to_std_string_lossy(),
                PropertyKey::Index(index) => index.get().to_string(),
                PropertyKey::Symbol(_) => continue,
            };
            let Some(descriptor) = object.borrow().properties().get(&key) else {
                continue;
            };
            if descriptor.enumerable() != Some(true) {
                continue;
            }
            w.item(first);
            first = false;
            w.open_pair();
            w.key(&name);
            w.pair_separator();
            match descriptor.value() {
                Some(item) if !descriptor.is_accessor_descriptor() => write(ctx, item, w)?,
                _ => w.other("accessor")?,
            }
            w.close_pair();
        }
        w.close();
        Ok(())
    } else if object.is_callable() {
        w.other("function")
    } else {
        w.other("object")
    }
}

/// An own data property's value; `Err` for an accessor (never called).
fn own_data(object: &JsObject, key: &PropertyKey) -> Result<Option<JsValue>, ()> {
    match object.borrow().properties().get(key) {
        None => Ok(None),
        Some(descriptor) if descriptor.is_accessor_descriptor() => Err(()),
        Some(descriptor) => Ok(descriptor.value().cloned()),
    }
}

fn data_property(object: &JsObject, key: &PropertyKey) -> Option<JsValue> {
    own_data(object, key).ok().flatten()
}
