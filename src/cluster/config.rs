//! The configuration of a node: the real-time index that holds one shard, optionally a
//! distributed index over it and other nodes' shards, and the `searchd` section. The same
//! text works for Manticore Search and for Sphinx 2.2 (Debian's `sphinxsearch`), which is
//! what CI runs; README.md shows how to add mirrors.

use std::fmt::Write;
use std::path::Path;

use super::layout::{ATTRIBUTES, FIELDS};

/// One node: where it keeps its files, where it listens, what it serves.
#[derive(Debug, Clone)]
pub struct NodeConfig<'a> {
    /// Folder for the index, binlog, logs and pid file.
    pub dir: &'a Path,
    /// SphinxQL (MySQL protocol) port, and the port agents are asked on.
    pub sql_port: u16,
    pub api_port: u16,
    /// The name of the shard's real-time index (with the version suffix).
    pub index: &'a str,
    /// A distributed index over this node's shard and these agents (`HOST:PORT` of their
    /// API port, each serving a shard named `index`), when set.
    pub distributed: Option<(&'a str, Vec<String>)>,
    /// Memory for the real-time index's newest rows before they are written to disk.
    pub rt_mem_limit_mb: u32,
}

/// The real-time index that holds one shard.
pub fn rt_index(name: &str, path: &Path, rt_mem_limit_mb: u32) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "index {name}\n{{\n  type = rt\n  path = {}",
        path.display()
    );
    for f in FIELDS {
        let _ = writeln!(s, "  rt_field = {f}");
    }
    for (a, kind) in ATTRIBUTES {
        let _ = writeln!(s, "  rt_attr_{kind} = {a}");
    }
    // zhnews sends every token as a word of 0-9a-z (see cluster::layout); a lone
    // character of a query is a prefix of the bigrams it starts.
    s.push_str(
        "  charset_table = 0..9, a..z\n  dict = keywords\n  min_prefix_len = 1\n  \
         index_field_lengths = 1\n",
    );
    let _ = writeln!(s, "  rt_mem_limit = {rt_mem_limit_mb}M\n}}");
    s
}

/// A distributed index over a local shard and agents.
pub fn distributed_index(name: &str, local: &str, agents: &[String], shard: &str) -> String {
    let mut s = format!("index {name}\n{{\n  type = distributed\n  local = {local}\n");
    for a in agents {
        let _ = writeln!(s, "  agent = {a}:{shard}");
    }
    s.push_str("  agent_connect_timeout = 1000\n  agent_query_timeout = 10000\n}\n");
    s
}

/// The whole configuration file of a node.
pub fn node_config(c: &NodeConfig) -> String {
    let mut s = rt_index(c.index, &c.dir.join(c.index), c.rt_mem_limit_mb);
    if let Some((name, agents)) = &c.distributed {
        s.push('\n');
        s.push_str(&distributed_index(name, c.index, agents, c.index));
    }
    let dir = c.dir.display();
    let _ = write!(
        s,
        "\nsearchd\n{{\n  listen = 127.0.0.1:{}:mysql41\n  listen = 127.0.0.1:{}\n  \
         log = {dir}/searchd.log\n  query_log = {dir}/query.log\n  pid_file = {dir}/searchd.pid\n  \
         binlog_path = {dir}\n  max_packet_size = 128M\n  workers = threads\n}}\n",
        c.sql_port, c.api_port
    );
    s
}
