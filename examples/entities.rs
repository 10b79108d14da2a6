//! The people, places and organisations found in each line of stdin, as JSON Lines
//! (`{"text", "person", "place", "org"}`): the index-time entity finder on any text, for
//! judging its precision (benches/entities).

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let analyzer = zhnews::analyze::Analyzer::new(&[]);
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let e = zhnews::analyze::entities::find(analyzer.jieba(), analyzer.names(), "", &line);
        let row = serde_json::json!({
            "text": line,
            "person": e.person,
            "place": e.place,
            "org": e.org,
        });
        writeln!(out, "{row}")?;
    }
    Ok(())
}
