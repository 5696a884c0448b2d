//! Lists: `A, B and C`.

/// Joins names the way English prose does, without a serial comma.
pub fn en(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Joins items with a serial comma, as the U.S. Census Bureau lists them: `A, B, and C`.
pub fn en_serial(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// Joins names as Chinese does: `A、B和C`.
pub fn zh(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}和{last}", init.join("、")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_in_words() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        for (items, want) in [
            (s(&[]), ""),
            (s(&["the EU"]), "the EU"),
            (s(&["the EU", "ASEAN"]), "the EU and ASEAN"),
            (s(&["the EU", "ASEAN", "the United States"]), "the EU, ASEAN and the United States"),
        ] {
            assert_eq!(en(&items), want);
        }
    }

    #[test]
    fn lists_with_a_serial_comma() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(en_serial(&s(&["China ($31.8)"])), "China ($31.8)");
        assert_eq!(en_serial(&s(&["A", "B"])), "A and B");
        assert_eq!(en_serial(&s(&["A", "B", "C"])), "A, B, and C");
    }

    #[test]
    fn lists_in_chinese() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(zh(&s(&["欧盟"])), "欧盟");
        assert_eq!(zh(&s(&["欧盟", "东盟"])), "欧盟和东盟");
        assert_eq!(zh(&s(&["欧盟", "东盟", "美国"])), "欧盟、东盟和美国");
    }
}
