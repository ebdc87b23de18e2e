//! A storage engine written in-house: pages split and merged against a page size, pages
//! written at page offsets and synced, memory-mapped data files, logs replayed on open.

use crate::rules::vocab::call_is;
use crate::rules::{Signal, Sink, declare_rule};
use liability_model::{BinOp, Category, EventKind, FileFacts, Function};

declare_rule! {
    /// ## What it does
    /// Finds a storage engine written in-house, by what its code does with pages: a node
    /// whose size is compared with the page size and then split (`split_at`, `split_off`),
    /// pages written at `page_size * id` offsets followed by `sync_all`/`sync_data`, nodes
    /// merged when they fall under a fraction of a page, a memory-mapped data file, and a
    /// log of checksummed records read back in a loop (write-ahead log replay).
    ///
    /// ## Why is this a liability?
    /// Durability is the whole job of a database and the hardest part to get right: torn
    /// writes, fsync ordering, crash recovery, corruption checks, compaction and backups.
    /// An engine that only its authors understand is a data-loss risk the team carries alone.
    ///
    /// ## Example
    /// ```rust
    /// fn split(&mut self) -> Vec<Node> {
    ///     if self.size() < self.page_size { return vec![]; }
    ///     let right = self.items.split_off(self.items.len() / 2);
    ///     vec![Node::new(right)]
    /// }
    /// fn write_page(&self, file: &mut File, id: u64, buf: &[u8]) -> io::Result<()> {
    ///     file.seek(SeekFrom::Start(self.page_size * id))?;
    ///     file.write_all(buf)?;
    ///     file.sync_all()
    /// }
    /// ```
    ///
    /// ## Use instead
    /// A managed database: DynamoDB or Aurora Serverless v2 (Cosmos DB, Azure SQL; Firestore,
    /// Cloud SQL). Embedded, a well-kept engine such as `redb`, `sled` or SQLite (`rusqlite`).
    ///
    /// ## Known limits
    /// Page sizes are recognised by name (`page_size`, `pagesize`, `PAGE_SIZE`); an engine
    /// that calls them blocks or segments is missed unless other signals carry it. Query
    /// builders and ORMs are not covered.
    pub static STORAGE_ENGINE_BY_HAND = {
        id: "storage-engine-by-hand",
        category: Category::Database,
        summary: "a storage engine that splits, writes and syncs pages by hand",
        check: check,
        // Both anchors compare with or multiply by a page size (`page_size` in the casings code
        // writes it), then split (`split_at`, `split_off`) or write (`write_all*`, `write_at`,
        // `pwrite`).
        rust_needs: &[
            &["age_size", "age_Size", "AGE_SIZE", "ageSize", "agesize", "AGESIZE"],
            &["split_", "write_a", "pwrite"],
        ],
        // The same in Python (`os.pwrite` is a `pwrite` call).
        python_needs: &[
            &["age_size", "age_Size", "AGE_SIZE", "ageSize", "agesize", "AGESIZE"],
            &["split_", "write_a", "pwrite"],
        ],
        // The same in JavaScript.
        javascript_needs: &[
            &["age_size", "age_Size", "AGE_SIZE", "ageSize", "agesize", "AGESIZE"],
            &["split_", "write_a", "pwrite"],
        ],
    };
}

const SYNC_CALLS: &[&str] = &["sync_all", "sync_data", "fsync", "fdatasync", "msync"];
const WRITE_CALLS: &[&str] = &["write_all", "write_at", "write_all_at", "pwrite"];
const MMAP_CALLS: &[&str] = &[
    "MmapOptions::new",
    "Mmap::map",
    "MmapMut::map_mut",
    "map_mut",
    "map_anon",
    "libc::mmap",
];

/// Whether an operand names a page size.
fn is_page_size(operand: &str) -> bool {
    let last = operand.rsplit('.').next().unwrap_or(operand);
    let lower = last.to_ascii_lowercase().replace('_', "");
    lower.contains("pagesize")
}

/// Whether an operand reads a size or a length.
fn is_size(operand: &str) -> bool {
    operand.ends_with("size()") || operand.ends_with("len()")
}

/// The line of a comparison between a size and an operand that `other` accepts.
fn size_compared(f: &Function, other: impl Fn(&str) -> bool) -> Option<u32> {
    f.events.iter().find_map(|e| match &e.kind {
        EventKind::Binary { op, lhs, rhs }
            if matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
                && ((is_size(lhs) && other(rhs)) || (is_size(rhs) && other(lhs))) =>
        {
            Some(e.line)
        }
        _ => None,
    })
}

fn check(facts: &FileFacts, sink: &mut Sink<'_>) {
    let mut signals: Vec<Signal> = Vec::new();
    let mut push = |s: Signal| {
        if !signals.iter().any(|o| o.kind() == s.kind()) {
            signals.push(s);
        }
    };
    for f in &facts.functions {
        let splits = f
            .calls()
            .any(|(_, c)| matches!(c.name(), "split_at" | "split_at_mut" | "split_off"));
        if let Some(line) = size_compared(f, is_page_size)
            && splits
        {
            push(Signal::anchor(
                line,
                "splits nodes whose size outgrows a page",
            ));
        }
        let page_offset = f.events.iter().find_map(|e| match &e.kind {
            EventKind::Binary {
                op: BinOp::Mul,
                lhs,
                rhs,
            } if is_page_size(lhs) || is_page_size(rhs) => Some(e.line),
            _ => None,
        });
        let write = f
            .calls()
            .find(|(_, c)| call_is(c, WRITE_CALLS))
            .map(|(e, _)| e.line);
        let sync = f
            .calls()
            .find(|(e, c)| call_is(c, SYNC_CALLS) && write.is_some_and(|w| e.line >= w))
            .map(|(e, _)| e.line);
        if let (Some(_), Some(line), Some(_)) = (page_offset, write, sync) {
            push(Signal::anchor(
                line,
                "writes pages at page-size offsets and syncs the file",
            ));
        }
        let under_filled = size_compared(f, |o| {
            o.contains('/') && o.split('/').next().is_some_and(is_page_size)
        });
        if let Some(line) = under_filled {
            push(Signal::new(
                line,
                "merges nodes that fall under a fraction of a page",
            ));
        }
        if let Some((e, _)) = f.calls().find(|(_, c)| call_is(c, MMAP_CALLS)) {
            push(Signal::new(e.line, "memory-maps the data file"));
        }
        let replay = f.loops.iter().enumerate().find_map(|(id, l)| {
            let id = u32::try_from(id).ok()?;
            let reads = f
                .events_in_loop(id)
                .any(|e| matches!(&e.kind, EventKind::Call(c) if c.name() == "read_exact"));
            let checks = f.events_in_loop(id).any(|e| match &e.kind {
                EventKind::Binary {
                    op: BinOp::Eq | BinOp::Ne,
                    lhs,
                    rhs,
                } => [lhs, rhs].iter().any(|s| {
                    let s = s.to_ascii_lowercase();
                    s.contains("crc") || s.contains("checksum")
                }),
                _ => false,
            });
            (reads && checks).then_some(l.span.start)
        });
        if let Some(line) = replay {
            push(Signal::new(
                line,
                "reads checksummed records back in a loop (log replay)",
            ));
        }
    }
    sink.emit_or_defer(signals);
}

#[cfg(test)]
mod tests {
    use crate::test_support::findings_for;

    #[test]
    fn flags_page_split_and_synced_writes() {
        let src = "impl Node {\n    fn split(&mut self) -> Option<Vec<Item>> {\n        if self.size() < self.page_size { return None; }\n        Some(self.items.split_off(self.items.len() / 2))\n    }\n    fn write(&self, file: &mut File, id: u64) -> io::Result<()> {\n        file.seek(SeekFrom::Start(self.page_size * id))?;\n        file.write_all(&self.buf)?;\n        file.sync_all()\n    }\n}\n";
        assert_eq!(findings_for(src, "storage-engine-by-hand").len(), 1);
    }

    #[test]
    fn saving_a_file_with_fsync_is_silent() {
        let src = "fn save(path: &Path, data: &[u8], parts: &mut Vec<u8>) -> io::Result<()> {\n    let mut f = File::create(path)?;\n    f.write_all(data)?;\n    f.sync_all()?;\n    if parts.len() > 10 { parts.split_off(5); }\n    Ok(())\n}\n";
        assert!(findings_for(src, "storage-engine-by-hand").is_empty());
    }
}
