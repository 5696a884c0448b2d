//! Who a sentence names and how: the reporter in full once, then "the country" (English) or 我
//! (Chinese, for 我国).

use super::Renderer;
use crate::plan::Plan;
use serde_json::{Value as Json, json};

/// How Chinese releases name their own country: 我国 once, then 我.
const ZH_WE: &str = "我国";
const ZH_WE_AGAIN: &str = "我";

impl Renderer {
    /// The reporter's names in full, with `again`: how a sentence that has just named it names it
    /// once more (我国 ... 占我外贸总值).
    pub(super) fn reporter(&self, plan: &Plan) -> Json {
        let mut r = json!(plan.meta.reporter.get(&self.lang).or_else(|| plan.meta.reporter.get("en")));
        if let Some(obj) = r.as_object_mut() {
            let again = obj.get("possessive").cloned().unwrap_or(Json::Null);
            let again = match again.as_str() {
                Some(ZH_WE) if self.lang == "zh" => json!(ZH_WE_AGAIN),
                _ => again,
            };
            obj.insert("again".into(), again);
        }
        r
    }

    /// How a later sentence refers to the reporter: "the country" in English (but not in a
    /// sentence about another country, which it could be taken for); in Chinese, 我国 becomes 我
    /// ("占我外贸总值", "我与欧盟"), which no partner can be taken for, and any other name stands.
    pub(super) fn later_reporter(&self, full: &Json, about_total: bool) -> Json {
        match self.lang.as_str() {
            "en" if about_total => {
                json!({ "name": "the country", "possessive": "the country's", "again": "the country's" })
            }
            "zh" if full["possessive"] == ZH_WE => {
                json!({ "name": full["name"], "possessive": ZH_WE_AGAIN, "again": ZH_WE_AGAIN })
            }
            _ => full.clone(),
        }
    }
}
