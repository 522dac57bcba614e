//! What a learner's program becomes: a submission is graded in the
//! sandbox, then stored with the progress it changes, in one transaction;
//! a run (the « Exécuter » button) runs it with the learner's own input and
//! explains its error. Both first take a ticket to the sandbox
//! (`admission.rs`).

use super::exercises::{accepted_code, check_code_size, unlocked_solution};
use crate::db::progress::{ExerciseProgress, NewSubmission};
use crate::db::users::User;
use crate::error::AppError;
use crate::messages::Message;
use crate::state::AppState;
use fabrique_exercises::{Code, Explanation, GradeReport, explain_run, failing_file, grade};
use fabrique_sandbox::{Language, RunReport, RunRequest, RunStatus};
use serde::Serialize;
use std::time::Instant;

/// The largest input a run accepts, in bytes.
pub const MAX_STDIN_BYTES: usize = 64 << 10;

/// A graded and stored submission.
#[derive(Debug, Serialize)]
pub struct SubmissionResult {
    pub submission_id: i64,
    pub report: GradeReport,
    pub progress: ExerciseProgress,
    pub solution: Option<Code>,
}

/// Grades `code` for the exercise `id` and stores the result. Nothing
/// submitted is lost: when it cannot be graded or stored, the code
/// becomes the exercise's draft.
pub async fn submit(
    state: &AppState,
    user: &User,
    id: &str,
    code: Code,
) -> Result<SubmissionResult, AppError> {
    let (exercise, location) = state.exercise(id)?;
    let code = accepted_code(exercise, code)?;
    let _ticket = state.admission.admit(user.id)?;
    let started = Instant::now();
    let graded = grade(exercise, &code, &state.sandbox).await;
    let report = match graded {
        Ok(report) => {
            let language = exercise.language.as_str();
            state
                .metrics
                .grading(language, report.passed, started.elapsed());
            report
        }
        Err(error) => {
            let error = AppError::from(error);
            // A submission refused because the sandbox is full was not
            // taken (the browser sends it again, and its editor saves
            // drafts), so overload costs no write; nor does one refused
            // before grading (a second run of the same account).
            if !matches!(error, AppError::Busy) {
                state.db.save_draft(user.id, &exercise.id, &code).await?;
            }
            return Err(error);
        }
    };
    // The report is stored without the drawing: the code that made it is
    // stored, and a drawing may weigh megabytes.
    let report_json = serde_json::to_string(&GradeReport {
        drawing: None,
        ..report.clone()
    })
    .map_err(AppError::internal)?;
    let submission = NewSubmission {
        user_id: user.id,
        code: code.clone(),
        passed: report.passed,
        score: i64::from(report.score),
        max_score: i64::from(report.max_score),
        report: report_json,
    };
    let recorded = match state
        .db
        .record_submission(location.clone(), submission)
        .await
    {
        Ok(recorded) => recorded,
        Err(error) => {
            // The grade could not be stored (a full queue of writes, a
            // failed commit): the code is kept as the draft, and the
            // learner is asked to send it again.
            if let Err(draft_error) = state.db.save_draft(user.id, &exercise.id, &code).await {
                tracing::error!("keeping a submission as a draft: {draft_error}");
            }
            return Err(error.into());
        }
    };
    state.live.submitted();
    Ok(SubmissionResult {
        submission_id: recorded.id,
        report,
        solution: unlocked_solution(exercise, Some(&recorded.progress)),
        progress: recorded.progress,
    })
}

/// A program to run with the learner's own input.
#[derive(Debug)]
pub struct RunOrder<'a> {
    pub language: &'a str,
    /// A text, or the files of the exercise being worked on.
    pub code: Code,
    pub stdin: String,
    /// The exercise being worked on, if any: counts as activity on it.
    pub exercise_id: Option<&'a str>,
    /// The answers of an interactive run so far (see [`interactive_input`]).
    pub answers: Option<Vec<String>>,
    pub seed: Option<u32>,
}

/// The most questions an interactive run may have answered: a program
/// asking more is stopped with a message.
pub const MAX_ANSWERS: usize = 50;

/// The input of an interactive run: the learner's own input, then each
/// answer on its line.
fn interactive_input(stdin: String, answers: &[String]) -> Result<String, AppError> {
    if answers.len() > MAX_ANSWERS {
        return Err(AppError::BadRequest(
            Message::new("too_many_answers").with("max", MAX_ANSWERS),
        ));
    }
    if answers.iter().any(|answer| answer.contains(['\n', '\r'])) {
        return Err(AppError::BadRequest(Message::new("answer_on_one_line")));
    }
    let mut input = stdin;
    if !input.is_empty() && !input.ends_with('\n') {
        input.push('\n');
    }
    for answer in answers {
        input.push_str(answer);
        input.push('\n');
    }
    Ok(input)
}

/// What a run printed, with an explanation of its error if it failed.
#[derive(Debug, Serialize)]
pub struct RunResult {
    #[serde(flatten)]
    pub report: RunReport,
    pub explanation: Option<Explanation>,
}

/// Runs a learner's program in the sandbox.
pub async fn run(
    state: &AppState,
    user: &User,
    order: RunOrder<'_>,
) -> Result<RunResult, AppError> {
    let language: Language = order.language.parse().map_err(|_| {
        AppError::BadRequest(Message::new("unknown_language").with("language", order.language))
    })?;
    check_code_size(&order.code)?;
    let exercise = order.exercise_id.and_then(|id| state.catalog.exercise(id));
    // The code of an exercise runs as its program (its files, its entry);
    // other code runs alone.
    // An exercise's program runs on the database the learner sees, if it
    // has one.
    let (language, program, entry, database) = match (exercise, order.code) {
        (Some(exercise), code) => {
            let Some(language) = exercise.language.program() else {
                return Err(AppError::BadRequest(Message::new("page_is_not_run")));
            };
            let code = accepted_code(exercise, code)?;
            let program = exercise.program(&code);
            let database = exercise.databases.as_ref().map(|d| d.visible.clone());
            (language, program, exercise.entry.clone(), database)
        }
        (None, Code::One(text)) => {
            let request = RunRequest::single(language, text);
            (language, request.files, request.entry, None)
        }
        (None, Code::Files(_)) => {
            return Err(AppError::BadRequest(Message::new("files_without_exercise")));
        }
    };
    let stdin = match &order.answers {
        Some(answers) => interactive_input(order.stdin, answers)?,
        None => order.stdin,
    };
    if stdin.len() > MAX_STDIN_BYTES {
        return Err(AppError::BadRequest(Message::new("input_too_long")));
    }
    let _ticket = state.admission.admit(user.id)?;
    let mut request = RunRequest::program(language, program.clone(), &entry)
        .with_stdin(stdin)
        .with_limits(state.sandbox.config().default_limits);
    if let Some(database) = database {
        request = request.on_database(database);
    }
    if order.answers.is_some() {
        request = request.asking(order.seed.unwrap_or_else(rand::random));
    }
    let started = Instant::now();
    let report = state.sandbox.run(request).await?;
    let verdict = match (report.status, report.exit_code) {
        (RunStatus::Exited, Some(0)) => "ok",
        (RunStatus::Exited, _) => "error",
        (status, _) => status.as_str(),
    };
    state
        .metrics
        .run(language.as_str(), verdict, started.elapsed());
    if let Some(location) = order.exercise_id.and_then(|id| state.catalog.location(id)) {
        state
            .db
            .note_activity(
                user.id,
                Some(&location.exercise_id),
                &location.track_id,
                &location.module_id,
            )
            .await?;
    }
    let (file, source) = failing_file(language, &report.stderr, &program, &entry);
    let explanation = explain_run(language, report.status, &report.stderr, source, file);
    Ok(RunResult {
        report,
        explanation,
    })
}
