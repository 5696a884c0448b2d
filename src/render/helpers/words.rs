//! Words that follow the fact: the flow a rule is over (`trade`, `exports`, `imports`) and the
//! number of a name (`was`, `were`), so that one template serves every flow and every name.

use crate::dataset::Flow;

/// The flow as a noun: `trade`, `exports`, `imports`, `the trade balance`.
pub fn flow_noun(flow: Flow) -> &'static str {
    match flow {
        Flow::Total => "trade",
        Flow::Export => "exports",
        Flow::Import => "imports",
        Flow::Balance => "the trade balance",
    }
}

/// Whether the flow's noun is plural (`exports were`, `trade was`).
pub fn flow_plural(flow: Flow) -> bool {
    matches!(flow, Flow::Export | Flow::Import)
}

/// The flow with a partner: `trade with X`, `exports to X`, `imports from X`, `the balance with X`.
pub fn flow_with(flow: Flow, name: &str) -> String {
    match flow {
        Flow::Total => format!("trade with {name}"),
        Flow::Export => format!("exports to {name}"),
        Flow::Import => format!("imports from {name}"),
        Flow::Balance => format!("the balance with {name}"),
    }
}

/// The preposition that joins the flow to a partner: `with`, `to`, `from`.
pub fn flow_prep(flow: Flow) -> &'static str {
    match flow {
        Flow::Total | Flow::Balance => "with",
        Flow::Export => "to",
        Flow::Import => "from",
    }
}

/// The whole a share is of: `total trade`, `total exports`, `total imports`.
pub fn flow_total(flow: Flow) -> &'static str {
    match flow {
        Flow::Total => "total trade",
        Flow::Export => "total exports",
        Flow::Import => "total imports",
        Flow::Balance => "the balance",
    }
}

/// What a partner is to the flow: `trading partner`, `export market`, `source of imports`.
pub fn flow_partner(flow: Flow, many: bool) -> String {
    let (one, more) = match flow {
        Flow::Total => ("trading partner", "trading partners"),
        Flow::Export => ("export market", "export markets"),
        Flow::Import => ("source of imports", "sources of imports"),
        Flow::Balance => ("partner", "partners"),
    };
    (if many { more } else { one }).to_string()
}

/// `was` or `were`.
pub fn was(plural: bool) -> &'static str {
    if plural { "were" } else { "was" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_follow_the_flow() {
        assert_eq!(flow_with(Flow::Export, "Canada"), "exports to Canada");
        assert_eq!(flow_with(Flow::Import, "China"), "imports from China");
        assert_eq!(flow_with(Flow::Total, "Mexico"), "trade with Mexico");
        assert_eq!((flow_noun(Flow::Import), was(flow_plural(Flow::Import))), ("imports", "were"));
        assert_eq!((flow_noun(Flow::Total), was(flow_plural(Flow::Total))), ("trade", "was"));
        assert_eq!(flow_partner(Flow::Export, true), "export markets");
    }
}
