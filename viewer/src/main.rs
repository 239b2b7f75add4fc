//! Entry point of the wasm build; see the library for everything else.

fn main() {
    dockaudit_viewer::run();
}
