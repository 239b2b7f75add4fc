//! A published fleet served next to the viewer, the way a bucket's website serves both: a copy of
//! the built viewer with the fleet's objects under `fleet/` (as under a bucket prefix), served by
//! the collector's own static server. Used by `viewer_fleet.rs` and `viewer_a11y.rs`.

// Each test binary includes this module and uses only some of it.
#![allow(dead_code)]

use std::path::Path;

use dockaudit::serve::{Config, Server, Site};
use dockaudit_shared::test_support::fleet::{objects, GeneratedFleet};
use dockaudit_tests::browser::viewer_dist;
use dockaudit_tests::TempDir;

/// The served site; the directory is removed when it is dropped.
pub struct FleetSite {
    pub server: Server,
    _dir: TempDir,
}

impl FleetSite {
    /// Serves the viewer with `fleet` under `fleet/` (open it with `?fleet=fleet/index.json`).
    pub fn start(tag: &str, fleet: &GeneratedFleet) -> FleetSite {
        let dir = TempDir::new(tag);
        copy_dir(&viewer_dist(), dir.path());
        for (key, text) in objects(fleet) {
            let path = dir.path().join("fleet").join(&key);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("create store dir");
            std::fs::write(&path, text).expect("write store object");
        }
        let server = Server::start(Site::new(dir.path()).expect("site"), Config::default()).expect("server");
        FleetSite { server, _dir: dir }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("list dir").flatten() {
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy file");
        }
    }
}
