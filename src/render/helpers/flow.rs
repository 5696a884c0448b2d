//! Flows in words, so that no template hard-codes one: a sentence over exports says 出口 and
//! "of exports", over imports 进口, over the total 进出口 and 外贸.

use crate::dataset::Flow;

/// The flow as the subject of a Chinese sentence: `进出口`, `出口`, `进口`, `贸易差额`.
pub fn zh_trade(flow: Flow) -> &'static str {
    match flow {
        Flow::Total => "进出口",
        Flow::Export => "出口",
        Flow::Import => "进口",
        Flow::Balance => "贸易差额",
    }
}

/// The preposition before a partner: `对欧盟进出口`, `对欧盟出口`, `自欧盟进口`.
pub fn zh_to(flow: Flow) -> &'static str {
    match flow {
        Flow::Import => "自",
        _ => "对",
    }
}

/// The total a share is taken of: `外贸总值`, `出口总值`, `进口总值`.
pub fn zh_total_of(flow: Flow) -> &'static str {
    match flow {
        Flow::Export => "出口总值",
        Flow::Import => "进口总值",
        _ => "外贸总值",
    }
}

/// The flow with a partner, as a Chinese sentence's subject: `与欧盟进出口`, `对欧盟出口`, `自欧盟进口`.
pub fn zh_trade_with(flow: Flow, name: &str) -> String {
    match flow {
        Flow::Total => format!("与{name}进出口"),
        Flow::Export => format!("对{name}出口"),
        Flow::Import => format!("自{name}进口"),
        Flow::Balance => format!("对{name}贸易差额"),
    }
}

/// The whole a growth rate is set against: `外贸整体`, `出口整体`, `进口整体`.
pub fn zh_overall(flow: Flow) -> &'static str {
    match flow {
        Flow::Export => "出口整体",
        Flow::Import => "进口整体",
        _ => "外贸整体",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_flow_has_its_own_words() {
        let words: Vec<_> = [Flow::Total, Flow::Export, Flow::Import]
            .into_iter()
            .map(|f| format!("{}{}{}", zh_to(f), zh_trade(f), zh_total_of(f)))
            .collect();
        assert_eq!(words, ["对进出口外贸总值", "对出口出口总值", "自进口进口总值"]);
        let with: Vec<_> = [Flow::Total, Flow::Export, Flow::Import]
            .into_iter()
            .map(|f| format!("{}，{}", zh_trade_with(f, "欧盟"), zh_overall(f)))
            .collect();
        assert_eq!(with, ["与欧盟进出口，外贸整体", "对欧盟出口，出口整体", "自欧盟进口，进口整体"]);
    }
}
