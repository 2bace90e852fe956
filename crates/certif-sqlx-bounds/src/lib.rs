//! `#[sqlx_bounds]`: the sqlx capabilities `certif-store`'s shared SQL needs of a backend,
//! written once.
//!
//! The SQL is written once for every backend, in `impl<D: Dialect> Sql<D>` blocks, and each
//! block needs the same list of sqlx bounds (`Executor` on a connection, `Encode`/`Decode` of
//! `String`, `i64`…). A trait cannot carry them: Rust implies from `D: SomeTrait` only the
//! bounds on `D` and its associated types, not a trait's where-clauses on other types such as
//! `String: Encode<'q, D::DB>` (rust-lang/rust#20671), so every block had to repeat the list.
//! This attribute adds the list to the `impl` it decorates, and changes nothing else: the SQL
//! stays plain Rust, formatted by rustfmt and reached by go-to-definition.
//!
//! ```ignore
//! use crate::dialect::{Dialect, Sql, sqlx_bounds};
//!
//! #[sqlx_bounds]
//! impl<D: Dialect> Sql<D> {
//!     pub async fn something(&self) -> StoreResult<()> { … }
//! }
//! ```
//!
//! A block needing one more bound (a `Vec<u8>` column) writes it in its own `where` clause: the
//! list is appended to it.

use proc_macro::{Delimiter, TokenStream, TokenTree};

/// The bounds, for the impl's dialect parameter `d`: what every sqlx driver provides.
fn bounds(d: &str) -> String {
    format!(
        "for<'c> &'c mut crate::dialect::Conn<{d}>: ::sqlx::Executor<'c, Database = <{d} as crate::dialect::Dialect>::DB>,
         for<'q> <<{d} as crate::dialect::Dialect>::DB as ::sqlx::Database>::Arguments<'q>: ::sqlx::IntoArguments<'q, <{d} as crate::dialect::Dialect>::DB>,
         usize: ::sqlx::ColumnIndex<crate::dialect::DbRow<{d}>>,
         for<'q> &'q str: ::sqlx::Encode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Type<<{d} as crate::dialect::Dialect>::DB>,
         for<'q> String: ::sqlx::Encode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Decode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Type<<{d} as crate::dialect::Dialect>::DB>,
         for<'q> i64: ::sqlx::Encode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Decode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Type<<{d} as crate::dialect::Dialect>::DB>,
         for<'q> Option<String>: ::sqlx::Encode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Decode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Type<<{d} as crate::dialect::Dialect>::DB>,
         for<'q> Option<i64>: ::sqlx::Encode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Decode<'q, <{d} as crate::dialect::Dialect>::DB> + ::sqlx::Type<<{d} as crate::dialect::Dialect>::DB>,"
    )
}

fn error(message: &str) -> TokenStream {
    format!("::core::compile_error!({message:?});").parse().unwrap_or_default()
}

/// Adds the sqlx bounds to an `impl<D: …> Sql<D> { … }` block (see the crate's documentation).
#[proc_macro_attribute]
pub fn sqlx_bounds(attribute: TokenStream, item: TokenStream) -> TokenStream {
    if !attribute.is_empty() {
        return error("#[sqlx_bounds] takes no argument");
    }
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let body = match tokens.pop() {
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => body,
        _ => return error("#[sqlx_bounds] goes on an `impl<D: Dialect> Sql<D> { … }` block"),
    };
    let is = |token: &TokenTree, text: &str| token.to_string() == text;
    // The dialect parameter: the first one of `impl<D: …>`.
    let dialect = match tokens.iter().position(|t| is(t, "impl")) {
        Some(at) => match (tokens.get(at + 1), tokens.get(at + 2)) {
            (Some(open), Some(TokenTree::Ident(d))) if is(open, "<") => d.to_string(),
            _ => return error("#[sqlx_bounds]: the impl names its dialect parameter first, as in `impl<D: Dialect>`"),
        },
        None => return error("#[sqlx_bounds] goes on an `impl` block"),
    };
    let joint = match tokens.iter().any(|t| is(t, "where")) {
        false => "where",
        true if tokens.last().is_some_and(|t| is(t, ",")) => "",
        true => ",",
    };
    let mut out: TokenStream = tokens.into_iter().collect();
    let added: TokenStream = match format!("{joint} {}", bounds(&dialect)).parse() {
        Ok(added) => added,
        Err(e) => return error(&format!("#[sqlx_bounds]: {e}")),
    };
    out.extend(added);
    out.extend([TokenTree::Group(body)]);
    out
}
