//! What the host reads of SQL text without running it: the statements,
//! parsed by `sqlparser` (SQLite's dialect, its depth bounded), the
//! constructions they use ([`SqlFeature`]), and whether a query sorts its
//! rows. SQL runs only in the sandbox; this only reads it, to check a
//! lesson's constraint (« sans sous-requête ») on the statements rather
//! than by searching their text, and to know whether a result's order
//! counts.

use crate::model::SqlFeature;
use sqlparser::ast::{
    Expr, GroupByExpr, Query, Select, SetExpr, Statement, TableFactor, Visit, Visitor,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;
use std::collections::BTreeSet;
use std::ops::ControlFlow;

/// How deeply expressions and queries may nest before the text is refused
/// (SQLite's own limit in the sandbox is 100).
const MAX_DEPTH: usize = 100;

/// The aggregate functions of SQLite.
const AGGREGATES: [&str; 7] = ["count", "sum", "avg", "min", "max", "total", "group_concat"];

/// The statements of `sql`, or the parser's message.
pub fn parse(sql: &str) -> Result<Vec<Statement>, String> {
    Parser::new(&SQLiteDialect {})
        .with_recursion_limit(MAX_DEPTH)
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|error| error.to_string())
}

/// Every construction `statements` use.
pub fn features(statements: &[Statement]) -> BTreeSet<SqlFeature> {
    let mut found = Features::default();
    for statement in statements {
        // The visitor never breaks.
        let _ = statement.visit(&mut found);
    }
    found.features
}

/// Whether the last statement of `statements` that is a query sorts its
/// rows (an `ORDER BY` of the query itself, not of a subquery).
pub fn last_query_sorts(statements: &[Statement]) -> bool {
    statements
        .iter()
        .rev()
        .find_map(|statement| match statement {
            Statement::Query(query) => Some(sorts(query)),
            _ => None,
        })
        .unwrap_or(false)
}

fn sorts(query: &Query) -> bool {
    query.order_by.is_some() || matches!(query.body.as_ref(), SetExpr::Query(inner) if sorts(inner))
}

#[derive(Default)]
struct Features {
    features: BTreeSet<SqlFeature>,
    /// Queries entered and not yet left: a query inside another is a
    /// subquery.
    depth: usize,
}

impl Visitor for Features {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        self.depth += 1;
        if self.depth > 1 || query.with.is_some() {
            self.features.insert(SqlFeature::Subquery);
        }
        if query.order_by.is_some() {
            self.features.insert(SqlFeature::OrderBy);
        }
        if matches!(query.body.as_ref(), SetExpr::SetOperation { .. }) {
            self.features.insert(SqlFeature::Union);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        let joined = select.from.len() > 1 || select.from.iter().any(|from| !from.joins.is_empty());
        let grouped = match &select.group_by {
            GroupByExpr::All(_) => true,
            GroupByExpr::Expressions(expressions, _) => !expressions.is_empty(),
        };
        for (present, feature) in [
            (joined, SqlFeature::Join),
            (grouped, SqlFeature::GroupBy),
            (select.having.is_some(), SqlFeature::Having),
            (select.selection.is_some(), SqlFeature::Where),
            (select.distinct.is_some(), SqlFeature::Distinct),
        ] {
            if present {
                self.features.insert(feature);
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if matches!(factor, TableFactor::Derived { .. }) {
            self.features.insert(SqlFeature::Subquery);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if is_aggregate(expr) {
            self.features.insert(SqlFeature::Aggregate);
        }
        ControlFlow::Continue(())
    }
}

/// Whether `expr` is a call of an aggregate function.
fn is_aggregate(expr: &Expr) -> bool {
    match expr {
        Expr::Function(function) => {
            let name = function.name.to_string().to_ascii_lowercase();
            AGGREGATES.contains(&name.as_str())
        }
        _ => false,
    }
}

/// Whether `expr` calls an aggregate function, at any depth
/// (`ROUND(AVG(x), 1)`).
pub(crate) fn contains_aggregate(expr: &Expr) -> bool {
    struct Finder;
    impl Visitor for Finder {
        type Break = ();

        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
            if is_aggregate(expr) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }
    expr.visit(&mut Finder).is_break()
}

#[cfg(test)]
mod tests {
    use super::*;
    use SqlFeature::*;

    fn of(sql: &str) -> Vec<SqlFeature> {
        features(&parse(sql).unwrap()).into_iter().collect()
    }

    #[test]
    fn constructions_are_read_on_the_parsed_statements() {
        assert_eq!(of("SELECT nom FROM clients"), []);
        assert_eq!(
            of(
                "SELECT c.nom, COUNT(*) FROM clients c JOIN commandes m ON m.client_id = c.id GROUP BY c.id HAVING COUNT(*) > 1 ORDER BY 2"
            ),
            [Join, GroupBy, Having, OrderBy, Aggregate]
        );
        assert_eq!(
            of("SELECT nom FROM clients, commandes WHERE id = client_id"),
            [Join, Where]
        );
        assert_eq!(
            of("SELECT nom FROM clients WHERE id IN (SELECT client_id FROM commandes)"),
            [Subquery, Where]
        );
        assert_eq!(of("SELECT * FROM (SELECT 1)"), [Subquery]);
        assert_eq!(of("WITH t AS (SELECT 1) SELECT * FROM t"), [Subquery]);
        assert_eq!(
            of("SELECT DISTINCT ville FROM clients UNION SELECT 'x'"),
            [Distinct, Union]
        );
        // Words in strings and comments are no constructions.
        assert_eq!(of("SELECT 'JOIN (SELECT 1)' -- GROUP BY\nFROM clients"), []);
    }

    #[test]
    fn only_the_last_query_s_own_order_counts() {
        let sorts = |sql: &str| last_query_sorts(&parse(sql).unwrap());
        assert!(sorts("SELECT 1; SELECT nom FROM clients ORDER BY nom"));
        assert!(!sorts("SELECT nom FROM clients ORDER BY nom; SELECT 1"));
        assert!(!sorts(
            "SELECT * FROM (SELECT nom FROM clients ORDER BY nom)"
        ));
        assert!(!sorts("INSERT INTO t VALUES (1)"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep).is_err());
        assert!(parse("SELECT FROM WHERE").is_err());
    }
}
