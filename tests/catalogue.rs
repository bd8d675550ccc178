//! The registry: unique ids, every rule documented, fixtures present.

use crate::util::repo;
use archaudit::engine::Catalogue;

#[test]
fn builtin_catalogue_loads_and_compiles() {
    let catalogue = Catalogue::builtin().unwrap();
    catalogue.compile().unwrap();
    for rule in &catalogue.rules {
        assert!(rule.builtin);
        assert_eq!(
            rule.path,
            format!("rules/{}/{}.rego", rule.area, rule.name),
            "{}",
            rule.id
        );
        assert!(repo(&rule.path).is_file(), "{}", rule.path);
        assert!(
            rule.description.len() > 80,
            "{}: describe why it matters",
            rule.id
        );
        assert!(!rule.references.is_empty(), "{}: no references", rule.id);
        assert!(
            rule.remediation.contains("```"),
            "{}: remediation needs a snippet",
            rule.id
        );
        for kind in ["pass", "fail"] {
            let f = repo(&format!(
                "fixtures/rules/{}/{}/{kind}.json",
                rule.area, rule.name
            ));
            assert!(f.is_file(), "{}: missing {}", rule.id, f.display());
        }
    }
}

#[test]
fn readme_rule_table_is_current() {
    let catalogue = Catalogue::builtin().unwrap();
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let start = readme.find("<!-- rules:start -->\n").expect("start marker")
        + "<!-- rules:start -->\n".len();
    let end = readme.find("<!-- rules:end -->").expect("end marker");
    let expected = archaudit::report::markdown_table(&catalogue.rules);
    assert!(
        readme[start..end] == expected,
        "README rule table is out of date: replace it with `archaudit rules --format markdown`"
    );
}
