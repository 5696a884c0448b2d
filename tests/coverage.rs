//! `validate` warns about what a dataset declares that the rules make nothing or too much of: a
//! dimension no rule reads, and a member of a ranked dimension that is really a group.

mod common;
use common::{run, scratch};

const HEAD: &str = "# SYNTHETIC: made up by tests/coverage.rs, not official\nid: cov\nreporter:\n  en: { name: Testland, possessive: \"Testland's\" }\n\
                    currency: USD\nunit: 1\nsource:\n  en: synthetic (not official)\n";

fn validate(name: &str, yaml: &str, rows: &str) -> String {
    let dir = scratch(name);
    std::fs::write(dir.join("dataset.yaml"), format!("{HEAD}{yaml}")).unwrap();
    std::fs::write(
        dir.join("trade.csv"),
        format!("period,basis,flow,dimension,member,value\n2019-01,month,export,total,all,10\n2019-01,month,import,total,all,10\n{rows}"),
    )
    .unwrap();
    let r = run(&["validate", "--data", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn a_dimension_no_rule_reads_is_named() {
    let out = validate(
        "cov-unread",
        "dimensions:\n  customs_district:\n    members:\n      shanghai: { en: Shanghai }\n",
        "2019-01,month,export,customs_district,shanghai,4\n",
    );
    assert!(
        out.contains("warning: dimension `customs_district` is declared in dataset.yaml, but no rule of rules/default.yaml reads it"),
        "{out}"
    );
    // The shipped data declares nothing the default rules leave unread, and ranks no group.
    // (Other warnings, such as the U.S. partners without Chinese names, are not this test's.)
    for data in ["data/china-2019", "data/china-customs-2019", "data/us-census"] {
        let r = run(&["validate", "--data", data]);
        assert_eq!(r.code, 0, "{data}: {}", r.stderr);
        assert!(!r.stdout.contains("is declared in dataset.yaml"), "{data}: {}", r.stdout);
        assert!(!r.stdout.contains("is a group"), "{data}: {}", r.stdout);
    }
}

#[test]
fn a_group_among_ranked_members_is_named() {
    // The Belt and Road countries declared as a partner, and as a member of a dimension of groups.
    let out = validate(
        "cov-group-kind",
        "dimensions:\n  partner:\n    complete: true\n    members:\n      a: { en: Alpha }\n      belt_and_road: { en: the Belt and Road countries }\n\
         \x20 partner_group:\n    kind: group\n    members:\n      belt_and_road: { en: the Belt and Road countries }\n",
        "2019-01,month,export,partner,a,4\n2019-01,month,export,partner,belt_and_road,5\n2019-01,month,export,partner_group,belt_and_road,5\n",
    );
    assert!(
        out.contains("warning: `belt_and_road` of `partner` is a group: it is also a member of `partner_group`, whose members are groups (`kind: group`)"),
        "{out}"
    );
    assert!(!out.contains("`a` of `partner`"), "{out}");
    // A group summed from the members of its own dimension.
    let out = validate(
        "cov-group-summed",
        "dimensions:\n  partner:\n    complete: true\n    members:\n      a: { en: Alpha }\n      b: { en: Beta }\n      bloc: { en: the Bloc }\n\
         groups:\n  bloc:\n    dimension: partner\n    of: partner\n    members: [a, b]\n",
        "2019-01,month,export,partner,a,4\n2019-01,month,export,partner,b,5\n",
    );
    assert!(
        out.contains("warning: `bloc` of `partner` is a group: it is a group of `partner` members (under `groups:`)"),
        "{out}"
    );
    // Not ranked: `product` is not complete and no default rule reads its ranks, so a group
    // among its members is not warned about.
    let out = validate(
        "cov-group-unranked",
        "dimensions:\n  product:\n    members:\n      a: { en: Alpha }\n      bloc: { en: the Bloc }\n\
         \x20 product_group:\n    kind: group\n    members:\n      bloc: { en: the Bloc }\n",
        "2019-01,month,export,product,a,4\n2019-01,month,export,product,bloc,5\n",
    );
    assert!(!out.contains("is a group"), "{out}");
}
