//! The layer table in ARCHITECTURE.md is the law, and this test keeps the code to it: it reads the table's "may use"
//! column, parses every `use crate::…` / `use super::…` (and inline `crate::…` path) in `src/`, and fails when a
//! module reaches a layer its row does not allow, when a window-only crate (egui and friends) is used outside `ui`, or
//! when the window's state files (`Session` and what it holds) use egui. It also fails when two files import each
//! other, and when a file in `src/` is over 600 lines.
//!
//! Parsing is lexical on purpose (no syn, nothing to build): comments and string literals are stripped first, and a
//! file's `#[cfg(test)] mod tests` block is left out (a test may reach further than the code it tests).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Crates only the window may use.
const WINDOW_CRATES: [&str; 5] = ["egui", "eframe", "egui_plot", "rfd", "arboard"];
/// egui itself: kept out of the window's state and logic.
const EGUI_CRATES: [&str; 3] = ["egui", "eframe", "egui_plot"];
/// Files of `ui` that hold the window's state and logic without egui (unit-tested without a window).
const UI_WITHOUT_EGUI: [&str; 11] = [
    "src/ui/session.rs",
    "src/ui/session/staged.rs",
    "src/ui/staged_load.rs",
    "src/ui/attribute_rows.rs",
    "src/ui/path_prompt.rs",
    "src/ui/report_export.rs",
    "src/ui/scene.rs",
    "src/ui/loader.rs",
    "src/ui/settings.rs",
    "src/ui/command.rs",
    "src/ui/files.rs",
];
const MAX_LINES: usize = 600;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text with comments and the contents of string and char literals blanked, and the test module cut off.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            i += end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            let end = rest[body..].find(&close).map_or(rest.len(), |e| body + e + close.len());
            out.push_str("\"\"");
            i += end;
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() {
                match rest.as_bytes()[j] {
                    b'\\' => j += 2,
                    b'"' => break,
                    _ => j += 1,
                }
            }
            out.push_str("\"\"");
            i += (j + 1).min(rest.len());
        } else if rest.starts_with('\'') && (rest[1..].starts_with("\\") || rest[1..].chars().nth(1) == Some('\'')) {
            // A char literal ('x', '\n'), not a lifetime.
            let end = rest[1..].find('\'').map_or(1, |e| e + 2);
            let end = if rest[1..].starts_with("\\'") { 4 } else { end };
            out.push_str("' '");
            i += end;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Every path a `use` declaration names, tree expanded: `use a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
/// `pub use` in a `mod.rs`/`lib.rs` is the module's face, not an import, and is left out when `faces` is false.
fn use_paths(code: &str, faces: bool) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        let before = rest[..at].trim_end();
        let is_pub = before.ends_with("pub") || before.ends_with(')') && before.contains("pub(");
        let after = &rest[at + 3..];
        let Some(end) = after.find(';') else { break };
        let tree = normalise_tree(&after[..end]);
        if faces || !is_pub {
            expand("", &tree, &mut paths);
        }
        rest = &after[end..];
    }
    paths
}

/// One space between words, none beside `::`, braces and commas: `a :: { b as c ,d }` → `a::{b as c,d}`.
fn normalise_tree(tree: &str) -> String {
    let words = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(words.len());
    for (i, c) in words.char_indices() {
        let next = words[i + c.len_utf8()..].chars().next();
        let prev = out.chars().next_back();
        let tight = |c: Option<char>| c.is_some_and(|c| matches!(c, ':' | '{' | '}' | ','));
        if c == ' ' && (tight(next) || tight(prev)) {
            continue;
        }
        out.push(c);
    }
    out
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let at = from + at;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if boundary(before) && after.is_some_and(char::is_whitespace) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_string()
        } else {
            format!("{a}::{b}")
        }
    };
    match tree.find('{') {
        None => {
            let path = tree.split(" as ").next().unwrap_or(tree).trim_end_matches("::");
            if !path.is_empty() {
                out.push(join(prefix, path));
            }
        }
        Some(open) => {
            let head = tree[..open].trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let prefix = join(prefix, head);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&prefix, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&prefix, &inner[start..], out);
        }
    }
}

/// `src/ui/app.rs` → `["ui", "app"]`; `src/ui/mod.rs` → `["ui"]`; `src/lib.rs` → `[]`.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// Absolute module path of a `use` path seen in `file` (`crate::`, `super::`, `self::` resolved), or `None` for
/// another crate's path.
fn absolute(path: &str, file: &Path) -> Option<Vec<String>> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base = module_of(file);
    match segments.first().copied() {
        Some("crate") => {
            segments.remove(0);
            base.clear();
        }
        Some("self") => {
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
        }
        _ => return None,
    }
    base.extend(segments.into_iter().map(String::from));
    Some(base)
}

/// The file a module path lands in: the deepest module file along it, following a `mod.rs`'s `pub use sub::Item`
/// to `sub` for an item re-exported there.
fn file_of(module: &[String], faces: &BTreeMap<PathBuf, BTreeMap<String, String>>) -> PathBuf {
    let mut dir = src();
    let mut file = src().join("lib.rs");
    for segment in module {
        let as_file = dir.join(format!("{segment}.rs"));
        let as_dir = dir.join(segment).join("mod.rs");
        if as_file.exists() {
            file = as_file;
            break;
        } else if as_dir.exists() {
            file = as_dir;
            dir = dir.join(segment);
        } else {
            // An item of the module file reached so far: re-exported from a sibling, or its own.
            if let Some(sub) = faces.get(&file).and_then(|f| f.get(segment)) {
                let sibling = dir.join(format!("{sub}.rs"));
                if sibling.exists() {
                    file = sibling;
                } else if dir.join(sub).join("mod.rs").exists() {
                    file = dir.join(sub).join("mod.rs");
                }
            }
            break;
        }
    }
    file
}

/// A row of the layer table: the module and the modules it may use.
fn layer_table() -> BTreeMap<String, BTreeSet<String>> {
    let architecture = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md")).unwrap();
    let mut rows = BTreeMap::new();
    let header = architecture
        .find("| module | holds | may use |")
        .expect("ARCHITECTURE.md has the layer table");
    for line in architecture[header..].lines().skip(2) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.split('|').collect();
        let (module, may_use) = (cells[1].trim().trim_matches('`'), cells[cells.len() - 2]);
        let allowed = may_use
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|m| m.split("::").next().unwrap_or(m).to_string())
            .collect();
        rows.insert(module.to_string(), allowed);
    }
    rows
}

struct Source {
    file: PathBuf,
    name: String,
    code: String,
    lines: usize,
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            Source {
                name: file
                    .strip_prefix(src().parent().unwrap())
                    .unwrap()
                    .display()
                    .to_string(),
                lines: text.lines().count(),
                code: code_of(&text),
                file,
            }
        })
        .collect()
}

/// `pub use sub::{A, B}` lines of each module file: item name → the submodule that defines it.
fn faces(sources: &[Source]) -> BTreeMap<PathBuf, BTreeMap<String, String>> {
    sources
        .iter()
        .filter(|s| s.file.ends_with("mod.rs") || s.file.ends_with("lib.rs"))
        .map(|s| {
            let items = use_paths(&s.code, true)
                .into_iter()
                .filter_map(|p| {
                    let segments: Vec<&str> = p.split("::").collect();
                    let (first, last) = (segments.first()?, segments.last()?);
                    (segments.len() >= 2 && *first != "crate" && *first != "super" && *first != "std")
                        .then(|| (last.to_string(), first.to_string()))
                })
                .collect();
            (s.file.clone(), items)
        })
        .collect()
}

/// Inline paths `crate::module::…` outside `use` declarations (e.g. `crate::analysis::top1_threshold(n)`).
fn inline_crate_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        let tail = &rest[at + 7..];
        if before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) {
            let name: String = tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            found.insert(name);
        }
        rest = tail;
    }
    found
}

#[test]
fn every_module_uses_only_the_layers_its_row_allows() {
    let table = layer_table();
    let sources = sources();
    let mut modules: BTreeSet<String> = BTreeSet::new();
    let mut wrong = Vec::new();
    for source in &sources {
        let module = module_of(&source.file);
        let Some(top) = module.first() else { continue }; // lib.rs, main.rs: the crate root wires everything
        modules.insert(top.clone());
        let Some(allowed) = table.get(top) else {
            wrong.push(format!(
                "{}: module `{top}` has no row in ARCHITECTURE.md's layer table",
                source.name
            ));
            continue;
        };
        let mut used: BTreeSet<String> = inline_crate_modules(&source.code);
        for path in use_paths(&source.code, false) {
            if let Some(target) = absolute(&path, &source.file)
                && let Some(first) = target.first()
            {
                used.insert(first.clone());
            }
            let first = path.split("::").next().unwrap_or_default();
            if WINDOW_CRATES.contains(&first) && top != "ui" {
                wrong.push(format!("{}: `{path}` — only `ui` may use {first}", source.name));
            }
            if EGUI_CRATES.contains(&first) && UI_WITHOUT_EGUI.contains(&source.name.as_str()) {
                wrong.push(format!(
                    "{}: `{path}` — the window's state and logic stay egui-free",
                    source.name
                ));
            }
        }
        for window_crate in WINDOW_CRATES {
            let egui_free = UI_WITHOUT_EGUI.contains(&source.name.as_str()) && EGUI_CRATES.contains(&window_crate);
            if top != "ui" || egui_free {
                let inline = format!("{window_crate}::");
                if find_word_prefix(&source.code, &inline) {
                    wrong.push(format!("{}: names `{inline}…` inline", source.name));
                }
            }
        }
        for other in used.iter().filter(|m| *m != top && table.contains_key(*m)) {
            if !allowed.contains(other) {
                wrong.push(format!(
                    "{}: uses `{other}`, which the `{top}` row does not allow",
                    source.name
                ));
            }
        }
    }
    for row in table.keys() {
        if !modules.contains(row) {
            wrong.push(format!(
                "ARCHITECTURE.md's layer table has a row for `{row}`, which is not a module in src/"
            ));
        }
    }
    assert!(wrong.is_empty(), "the layer table is broken:\n{}", wrong.join("\n"));
}

fn find_word_prefix(code: &str, prefix: &str) -> bool {
    code.match_indices(prefix).any(|(at, _)| {
        code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
    })
}

#[test]
fn no_two_files_import_each_other() {
    let sources = sources();
    let faces = faces(&sources);
    let mut edges: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    for source in &sources {
        let is_face = source.file.ends_with("mod.rs") || source.file.ends_with("lib.rs");
        for path in use_paths(&source.code, !is_face) {
            let Some(target) = absolute(&path, &source.file) else {
                continue;
            };
            let file = file_of(&target, &faces);
            if file != source.file {
                edges.insert((source.file.clone(), file));
            }
        }
    }
    let name = |p: &Path| p.strip_prefix(src()).unwrap().display().to_string();
    let mutual: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", name(a), name(b)))
        .collect();
    assert!(
        mutual.is_empty(),
        "files that import each other:\n{}",
        mutual.join("\n")
    );
}

#[test]
fn no_file_in_src_is_over_600_lines() {
    let long: Vec<String> = sources()
        .iter()
        .filter(|s| s.lines > MAX_LINES)
        .map(|s| format!("{}: {} lines", s.name, s.lines))
        .collect();
    assert!(
        long.is_empty(),
        "one concept a file, at most {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_parser_sees_what_it_must() {
    let code = code_of(
        "use super::{a::B, c};\n// use crate::ui::x;\nuse crate::io::{self as i, f::{G, H}};\nlet s = \"crate::ui\";\n\
         pub use x::Y;\nfn f() { crate::analysis::top1_threshold(3) }\n#[cfg(test)]\nmod tests { use crate::cli; }",
    );
    assert_eq!(
        use_paths(&code, true),
        [
            "super::a::B",
            "super::c",
            "crate::io::self",
            "crate::io::f::G",
            "crate::io::f::H",
            "x::Y"
        ]
    );
    assert_eq!(use_paths(&code, false).len(), 5, "pub use left out");
    assert_eq!(
        inline_crate_modules(&code),
        BTreeSet::from(["analysis".into(), "io".into()])
    );
    let file = src().join("ui/app.rs");
    assert_eq!(
        absolute("super::scene::MapScene", &file),
        Some(vec!["ui".into(), "scene".into(), "MapScene".into()])
    );
    assert_eq!(absolute("egui::Ui", &file), None);
}
