//! A published fleet's files as the viewer reads them from a store: `index.json`
//! (`dockaudit_shared::fleet::parse_index`) and `hosts/<host>.json` (`parse_history`), then the
//! fleet view over what was read (`view::fleet`: the prepared model, the heatmap under filters, a
//! collapsed section and a sort, the hosts failing a check, a host's trend).
//!
//! Besides not panicking: a file that reads writes and reads back unchanged; the heatmap shows each
//! host at most once, every shown row has one cell per column, and no column counts more failing
//! hosts than are shown.
#![no_main]

use std::rc::Rc;

use dockaudit_shared::fleet::{parse_history, parse_index};
use dockaudit_shared::report::Status;
use dockaudit_shared::view::fleet::{failing_hosts, heatmap, history_series, FleetModel, FleetSpec, HostSort};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(index) = parse_index(text) {
        let written = serde_json::to_string(&index).expect("an index writes");
        assert_eq!(parse_index(&written).expect("a written index reads"), index);
        let model = Rc::new(FleetModel::new(&index));
        let specs = [
            FleetSpec::default(),
            FleetSpec {
                sort: HostSort::Age,
                statuses: [Status::Fail, Status::Warn].into(),
                collapsed: ["1".to_string(), "5.1".to_string()].into(),
                text: "a".into(),
                ..FleetSpec::default()
            },
            FleetSpec {
                sort: HostSort::Score,
                section: Some("5".into()),
                level: Some(1),
                label: Some("env".into()),
                stale_only: true,
                ..FleetSpec::default()
            },
        ];
        for spec in &specs {
            let map = heatmap(&model, spec, 20_500);
            let mut seen = map.rows.clone();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), map.rows.len(), "a host shown twice");
            assert!(map.rows.len() <= index.hosts.len());
            for r in 0..map.rows.len() {
                assert_eq!(map.cells(r).len(), map.columns.len());
            }
            for c in &map.columns {
                assert!(c.counts.fail <= map.rows.len());
                let _ = map.count_label(c);
            }
        }
        if let Some(check) = model.checks.first() {
            assert!(failing_hosts(&index, &check.id).len() <= index.hosts.len());
        }
    }
    if let Ok(history) = parse_history(text) {
        let written = serde_json::to_string(&history).expect("a history writes");
        assert_eq!(parse_history(&written).expect("a written history reads"), history);
        assert_eq!(history_series(&history).points.len(), history.runs.len());
    }
});
