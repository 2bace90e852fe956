//! SQL text for the record tables, shared by the backends: the same statements with each
//! database's placeholders.

use crate::record::Table;

/// How a database writes bind parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholders {
    /// `?` (SQLite)
    Question,
    /// `$1`, `$2`… (PostgreSQL)
    Dollar,
}

impl Placeholders {
    fn nth(self, n: usize) -> String {
        match self {
            Placeholders::Question => "?".to_string(),
            Placeholders::Dollar => format!("${n}"),
        }
    }
}

/// A statement written with `?` placeholders, in the given style (`?` → `$1`, `$2`… in order).
pub fn dialect(style: Placeholders, statement: &str) -> String {
    match style {
        Placeholders::Question => statement.to_string(),
        Placeholders::Dollar => {
            let mut out = String::with_capacity(statement.len() + 8);
            let mut n = 0;
            for c in statement.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

fn key_condition(table: &Table, style: Placeholders, first: usize) -> String {
    table.key.iter().enumerate().map(|(i, column)| format!("{column} = {}", style.nth(first + i))).collect::<Vec<_>>().join(" AND ")
}

/// `SELECT values…, version FROM t WHERE key = …`
pub fn select_one(table: &Table, style: Placeholders) -> String {
    format!("SELECT {}, version FROM {} WHERE {}", table.values.join(", "), table.name, key_condition(table, style, 1))
}

/// `SELECT key…, values…, version FROM t WHERE learner_id = … ORDER BY key`
pub fn select_learner(table: &Table, style: Placeholders) -> String {
    format!(
        "SELECT {}, {}, version FROM {} WHERE learner_id = {} ORDER BY {}",
        table.key.join(", "),
        table.values.join(", "),
        table.name,
        style.nth(1),
        table.key.join(", ")
    )
}

/// Everything about one learner in one statement (one round trip, not one a table): for each
/// of `tables`, its index, its version, then its key and value columns, padded with NULLs to
/// the widest table's; tables in the order given, each table's rows by key. Every branch takes
/// the learner's id as its own placeholder (bind it `tables.len()` times).
pub fn select_whole_learner(tables: &[&Table], style: Placeholders) -> String {
    let width = tables.iter().map(|t| t.key.len() + t.values.len()).max().unwrap_or(0);
    let branches: Vec<String> = tables
        .iter()
        .enumerate()
        .map(|(n, table)| {
            let mut columns: Vec<&str> = table.key.iter().chain(table.values).copied().collect();
            columns.resize(width, "NULL");
            format!(
                "SELECT CAST({n} AS BIGINT) AS t, version, {} FROM {} WHERE learner_id = {}",
                columns.join(", "),
                table.name,
                style.nth(n + 1)
            )
        })
        .collect();
    // Every key has at most three columns (the learner's id first): positions 3 to 5.
    format!("{} ORDER BY 1, 3, 4, 5", branches.join(" UNION ALL "))
}

/// `INSERT INTO t (key…, values…) VALUES (…)`
pub fn insert(table: &Table, style: Placeholders) -> String {
    let columns: Vec<&str> = table.key.iter().chain(table.values).copied().collect();
    let binds: Vec<String> = (1..=columns.len()).map(|n| style.nth(n)).collect();
    format!("INSERT INTO {} ({}) VALUES ({})", table.name, columns.join(", "), binds.join(", "))
}

/// `UPDATE t SET values… = …, version = version + 1 WHERE key = …` (values bound first).
pub fn update(table: &Table, style: Placeholders) -> String {
    let sets: Vec<String> = table.values.iter().enumerate().map(|(i, column)| format!("{column} = {}", style.nth(i + 1))).collect();
    format!(
        "UPDATE {} SET {}, version = version + 1 WHERE {}",
        table.name,
        sets.join(", "),
        key_condition(table, style, table.values.len() + 1)
    )
}

/// `SELECT key…, values… FROM t ORDER BY key`
pub fn select_all(table: &Table) -> String {
    format!("SELECT {}, {} FROM {} ORDER BY {}", table.key.join(", "), table.values.join(", "), table.name, table.key.join(", "))
}

/// `SELECT key…, values…, version FROM t WHERE learner_id IN (n placeholders)`
pub fn select_learners(table: &Table, style: Placeholders, n: usize) -> String {
    let binds: Vec<String> = (1..=n).map(|i| style.nth(i)).collect();
    format!(
        "SELECT {}, {}, version FROM {} WHERE learner_id IN ({})",
        table.key.join(", "),
        table.values.join(", "),
        table.name,
        binds.join(", ")
    )
}

/// `SELECT key…, values… FROM t WHERE learner_id IN (n placeholders) ORDER BY key…`: the
/// rows `select_all` gives for those learners, in its order.
pub fn select_learners_ordered(table: &Table, style: Placeholders, n: usize) -> String {
    let binds: Vec<String> = (1..=n).map(|i| style.nth(i)).collect();
    format!(
        "SELECT {}, {} FROM {} WHERE learner_id IN ({}) ORDER BY {}",
        table.key.join(", "),
        table.values.join(", "),
        table.name,
        binds.join(", "),
        table.key.join(", ")
    )
}

/// `(?, ?, …), (?, ?, …)…`: `rows` rows of `columns` placeholders.
pub fn value_rows(style: Placeholders, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for column in 0..columns {
            if column > 0 {
                out.push_str(", ");
            }
            out.push_str(&style.nth(row * columns + column + 1));
        }
        out.push(')');
    }
    out
}

/// `INSERT INTO t (key…, values…, version) VALUES (…)… ON CONFLICT (key…) DO UPDATE SET …`:
/// writes `rows` rows whatever they were, in one statement (the same text on both databases).
pub fn upsert(table: &Table, style: Placeholders, rows: usize) -> String {
    let columns: Vec<&str> = table.key.iter().chain(table.values).copied().chain(["version"]).collect();
    let sets: Vec<String> = table.values.iter().chain(&["version"]).map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}",
        table.name,
        columns.join(", "),
        value_rows(style, rows, columns.len()),
        table.key.join(", "),
        sets.join(", ")
    )
}

/// The columns of `audit_log`, in the order `insert_audit` binds them.
pub const AUDIT_COLUMNS: [&str; 10] = ["seq", "at", "actor", "entity", "entity_key", "learner_id", "before", "after", "prev_hash", "hash"];

/// `INSERT INTO audit_log (…) VALUES (…)…` for `rows` entries.
pub fn insert_audit(style: Placeholders, rows: usize) -> String {
    format!("INSERT INTO audit_log ({}) VALUES {}", AUDIT_COLUMNS.join(", "), value_rows(style, rows, AUDIT_COLUMNS.len()))
}

/// How many rows of `columns` values one statement carries: well under SQLite's and
/// PostgreSQL's bind limits (32,766 and 65,535), and small enough to keep statements cheap.
pub fn rows_per_statement(columns: usize) -> usize {
    (4000 / columns).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{LEARNERS, MARKS, TABLES};

    #[test]
    fn a_learner_is_read_in_one_statement_ordered_by_table_then_key() {
        // The order by positions 3 to 5 covers every key.
        assert!(TABLES.iter().all(|t| t.key.len() <= 3 && t.key[0] == "learner_id"));
        assert_eq!(
            select_whole_learner(&[&LEARNERS, &MARKS], Placeholders::Dollar)
                .replace(" family_name, given_names, birth_date, sex, birth_place_insee, access_route, enrolled_on, employer, employer_siret, contract_start, contract_end, master, curriculum", " …"),
            "SELECT CAST(0 AS BIGINT) AS t, version, learner_id, … FROM learners WHERE learner_id = $1 UNION ALL \
             SELECT CAST(1 AS BIGINT) AS t, version, learner_id, module, session1, session2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL \
             FROM marks WHERE learner_id = $2 ORDER BY 1, 3, 4, 5"
        );
    }

    #[test]
    fn written_statements_take_each_databases_placeholders() {
        assert_eq!(dialect(Placeholders::Dollar, "UPDATE t SET a = ?, b = ? WHERE c = ?"), "UPDATE t SET a = $1, b = $2 WHERE c = $3");
        assert_eq!(dialect(Placeholders::Question, "SELECT ?"), "SELECT ?");
    }

    #[test]
    fn statements_use_each_databases_placeholders() {
        assert_eq!(
            select_one(&MARKS, Placeholders::Question),
            "SELECT session1, session2, version FROM marks WHERE learner_id = ? AND module = ?"
        );
        assert_eq!(
            update(&MARKS, Placeholders::Dollar),
            "UPDATE marks SET session1 = $1, session2 = $2, version = version + 1 WHERE learner_id = $3 AND module = $4"
        );
        assert_eq!(
            upsert(&MARKS, Placeholders::Dollar, 2),
            "INSERT INTO marks (learner_id, module, session1, session2, version) VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10) \
             ON CONFLICT (learner_id, module) DO UPDATE SET session1 = excluded.session1, session2 = excluded.session2, version = excluded.version"
        );
        assert_eq!(
            select_learners(&MARKS, Placeholders::Question, 2),
            "SELECT learner_id, module, session1, session2, version FROM marks WHERE learner_id IN (?, ?)"
        );
        assert_eq!(
            insert(&MARKS, Placeholders::Dollar),
            "INSERT INTO marks (learner_id, module, session1, session2) VALUES ($1, $2, $3, $4)"
        );
    }
}
