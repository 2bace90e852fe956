//! The SQL behind [`InsertionStore`](crate::insertion::InsertionStore), for every backend.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::Row as _;

use crate::batch::Change;
use crate::dialect::{Conn, DbRow, Dialect, Sql, db, in_dialect, sqlx_bounds};
use crate::insertion::{AUDITED, Answer, Contract, Situation, audit_key, values_json};
use crate::{ApplySummary, StoreError, StoreResult};

const COLUMNS: &str = "learner_id, months_after, surveyed_on, situation, in_target_job, contract, rome";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Database(format!("a stored insertion answer has {what} {value:?}"))
}

#[sqlx_bounds]
impl<D: Dialect> Sql<D> {
    fn answer_of(row: &DbRow<D>) -> StoreResult<Answer> {
        let months: i64 = row.try_get(1).map_err(db)?;
        let surveyed_on: String = row.try_get(2).map_err(db)?;
        let situation: String = row.try_get(3).map_err(db)?;
        let in_target_job: i64 = row.try_get(4).map_err(db)?;
        let contract: Option<String> = row.try_get(5).map_err(db)?;
        Ok(Answer {
            learner: row.try_get(0).map_err(db)?,
            months_after: u32::try_from(months).map_err(|_| corrupt("months_after", &months.to_string()))?,
            surveyed_on: NaiveDate::parse_from_str(&surveyed_on, "%Y-%m-%d").map_err(|_| corrupt("surveyed_on", &surveyed_on))?,
            situation: Situation::parse(&situation).ok_or_else(|| corrupt("situation", &situation))?,
            in_target_job: in_target_job != 0,
            contract: contract.as_deref().map(|c| Contract::parse(c).ok_or_else(|| corrupt("contract", c))).transpose()?,
            rome: row.try_get(6).map_err(db)?,
        })
    }

    async fn read_answers(connection: &mut Conn<D>) -> StoreResult<Vec<Answer>> {
        let statement = format!("SELECT {COLUMNS} FROM insertion_answers ORDER BY learner_id, months_after");
        let rows = sqlx::query(&statement).fetch_all(&mut *connection).await.map_err(db)?;
        rows.iter().map(Self::answer_of).collect()
    }

    pub async fn put_insertion_answers(&self, answers: Vec<Answer>, actor: &str, dry_run: bool) -> StoreResult<ApplySummary> {
        let actor = actor.to_string();
        self.write(!dry_run, move |connection| {
            Box::pin(async move {
                // Every stored answer read once: a file of the whole survey is one pass.
                let stored: HashMap<(String, u32), Answer> =
                    Self::read_answers(connection).await?.into_iter().map(|a| ((a.learner.clone(), a.months_after), a)).collect();
                let learners: std::collections::HashSet<String> = sqlx::query_scalar::<_, String>("SELECT learner_id FROM learners")
                    .fetch_all(&mut *connection)
                    .await
                    .map_err(db)?
                    .into_iter()
                    .collect();
                let mut summary = ApplySummary::default();
                let mut changes = Vec::new();
                let insert = in_dialect::<D>(&format!("INSERT INTO insertion_answers ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"));
                let update = in_dialect::<D>(
                    "UPDATE insertion_answers SET surveyed_on = ?, situation = ?, in_target_job = ?, contract = ?, rome = ? \
                     WHERE learner_id = ? AND months_after = ?",
                );
                for answer in answers {
                    if !learners.contains(&answer.learner) {
                        return Err(StoreError::Invalid(format!("apprenant {} : inconnu", answer.learner)));
                    }
                    let after = values_json(&answer);
                    let before = stored.get(&(answer.learner.clone(), answer.months_after)).map(values_json);
                    if before.as_deref() == Some(after.as_str()) {
                        summary.unchanged += 1;
                        continue;
                    }
                    let (surveyed_on, target) = (answer.surveyed_on.to_string(), i64::from(answer.in_target_job));
                    let contract = answer.contract.map(|c| c.as_str().to_string());
                    let query = if before.is_some() {
                        summary.updated += 1;
                        sqlx::query(&update)
                            .bind(surveyed_on)
                            .bind(answer.situation.as_str())
                            .bind(target)
                            .bind(contract)
                            .bind(answer.rome.clone())
                            .bind(answer.learner.clone())
                            .bind(i64::from(answer.months_after))
                    } else {
                        summary.inserted += 1;
                        sqlx::query(&insert)
                            .bind(answer.learner.clone())
                            .bind(i64::from(answer.months_after))
                            .bind(surveyed_on)
                            .bind(answer.situation.as_str())
                            .bind(target)
                            .bind(contract)
                            .bind(answer.rome.clone())
                    };
                    query.execute(&mut *connection).await.map_err(db)?;
                    changes.push(Change {
                        entity: AUDITED,
                        entity_key: audit_key(&answer),
                        learner_id: Some(answer.learner),
                        before,
                        after,
                    });
                }
                Self::write_audit(connection, &changes, &actor).await?;
                Ok(summary)
            })
        })
        .await
    }

    pub async fn insertion_answers(&self) -> StoreResult<Vec<Answer>> {
        let mut connection = self.pool.acquire().await.map_err(db)?;
        Self::read_answers(&mut connection).await
    }

    /// Every answer as the audit check reads it: `(entity, key, values as JSON)`.
    pub(crate) async fn read_insertion_rows(connection: &mut Conn<D>) -> StoreResult<Vec<(&'static str, String, String)>> {
        Ok(Self::read_answers(connection).await?.iter().map(|a| (AUDITED, audit_key(a), values_json(a))).collect())
    }
}
