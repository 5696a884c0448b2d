//! Values in messages written as a person writes them (`'text'`, `4.2`, `[1, 2]`), not as Rust's
//! debug text (`String("text")`, `Float(4.2)`): the CEL library's own messages print the latter.

use cel::ExecutionError;

/// A CEL value as a person writes it: `'text'`, `4.2`, `true`, `[1, 2]`, not Rust's debug text.
pub fn cel(v: &cel::Value) -> String {
    use cel::Value;
    match v {
        Value::String(s) => format!("'{s}'"),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::List(items) => format!("[{}]", items.iter().map(cel).collect::<Vec<_>>().join(", ")),
        Value::Map(_) => "a map".to_string(),
        _ => "a value of another type".to_string(),
    }
}

/// A CEL run-time error in words, its values written plainly.
pub fn execution(e: &ExecutionError) -> String {
    match e {
        ExecutionError::ValuesNotComparable(a, b) => {
            format!("{} cannot be compared with {}", cel(a), cel(b))
        }
        ExecutionError::UnsupportedIndex(i, v) => format!("{} cannot be indexed by {}", cel(v), cel(i)),
        ExecutionError::IndexOutOfBounds(i) => format!("index {} is out of bounds", cel(i)),
        ExecutionError::DivisionByZero(v) => format!("{} is divided by zero", cel(v)),
        ExecutionError::RemainderByZero(v) => format!("the remainder of {} by zero", cel(v)),
        ExecutionError::Overflow(op, a, b) => format!("{} {op} {} overflows", cel(a), cel(b)),
        ExecutionError::UnsupportedBinaryOperator(op, a, b) => {
            format!("`{op}` cannot be applied to {} and {}", cel(a), cel(b))
        }
        ExecutionError::UnsupportedKeyType(v) => format!("{} cannot be a key", cel(v)),
        ExecutionError::DuplicateKey(v) => format!("the key {} is given twice", cel(v)),
        ExecutionError::UnsupportedTargetType { target } => {
            format!("{} is not of a type this applies to", cel(target))
        }
        ExecutionError::NotSupportedAsMethod { method, target } => {
            format!("`{method}` is not a method of {}", cel(target))
        }
        other => other.to_string(),
    }
}

/// A YAML value as written, for messages.
pub fn yaml(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => format!("`{s}`"),
        serde_yaml::Value::Null => "nothing".to_string(),
        serde_yaml::Value::Sequence(_) => "a list".to_string(),
        serde_yaml::Value::Mapping(_) => "a mapping".to_string(),
        other => serde_yaml::to_string(other).map_or_else(|_| "another value".into(), |s| s.trim().to_string()),
    }
}
