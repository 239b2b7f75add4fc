//! The checked-in JSON Schema must match the types. Regenerate with
//! `DOCKAUDIT_BLESS=1 cargo test -p dockaudit-shared --test schema`.

use std::path::PathBuf;

fn check(generated: String, file: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas").join(file);
    if std::env::var_os("DOCKAUDIT_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: regenerate it with `DOCKAUDIT_BLESS=1 cargo test -p dockaudit-shared --test schema` and commit it",
        path.display()
    );
}

#[test]
fn report_schema_is_current() {
    check(dockaudit_shared::schema::report_schema_json(), "report.schema.json");
}

#[test]
fn signoff_schema_is_current() {
    check(dockaudit_shared::signoff::schema_json(), "signoff.schema.json");
}

#[test]
fn fleet_schemas_are_current() {
    check(dockaudit_shared::fleet::index_schema_json(), "fleet-index.schema.json");
    check(
        dockaudit_shared::fleet::history_schema_json(),
        "host-history.schema.json",
    );
}
