//! How a script's end is reported: a stop from outside first (Kill, timeout, CPU, output cap),
//! then an error that ended the whole exec from inside (a limit of the script), then its status.

use agentos_proto::ErrorCode;
use agentos_proto::v1::Stream;
use agentos_shell::{ShellError, StopCause as ShellStop};
use bytes::Bytes;

use crate::outcome::{LIMIT_EXIT_CODE, Outcome, StopCause, panic_message};
use crate::output::GuestOutput;

/// The outcome of a script that returned `result`, given the exec's `fatal` error and `cause`.
pub fn of_script(
    result: std::thread::Result<Result<i32, ShellError>>,
    fatal: Option<ShellError>,
    cause: Option<StopCause>,
    output: &GuestOutput,
) -> Outcome {
    if let Some(cause) = cause {
        return cause.outcome();
    }
    let result = match result {
        Ok(result) => result,
        Err(panic) => {
            let detail = panic_message(panic.as_ref());
            tracing::error!("shell panicked: {detail}");
            return Outcome::internal(format!("internal error: {detail}"));
        }
    };
    let error = match (fatal, result) {
        (Some(error), _) | (None, Err(error)) => error,
        (None, Ok(status)) => return Outcome::Exited(status),
    };
    match error {
        ShellError::Stopped(ShellStop::Signal(signal)) => Outcome::Killed(signal.unsigned_abs()),
        ShellError::Stopped(ShellStop::Engine(why)) => {
            Outcome::internal(format!("the script was stopped without a cause: {why}"))
        }
        ShellError::ProcessLimit { .. } => limit(output, ErrorCode::ProcessLimit, &error),
        ShellError::MemoryLimit { .. } => limit(output, ErrorCode::MemoryLimit, &error),
        ShellError::DepthLimit { .. }
        | ShellError::NestingLimit { .. }
        | ShellError::ScriptTooLarge { .. } => limit(output, ErrorCode::ScriptLimit, &error),
    }
}

/// A limit of the script: named on its stderr, as bash names its own.
fn limit(output: &GuestOutput, code: ErrorCode, error: &ShellError) -> Outcome {
    let message = format!("sh: {error}");
    failed(output, code, message, LIMIT_EXIT_CODE)
}

/// A failure with `message` on the exec's stderr.
pub fn failed(output: &GuestOutput, code: ErrorCode, message: String, exit_code: i32) -> Outcome {
    output.write(Stream::Stderr, Bytes::from(format!("{message}\n")));
    Outcome::Failed {
        code,
        message,
        exit_code,
    }
}
