//! The progress bar on stderr while collecting: only on a terminal.

use super::CallLog;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::Arc;
use std::time::Duration;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    log: Arc<CallLog>,
}

impl Progress {
    pub fn new(accounts: usize, show: bool, log: Arc<CallLog>) -> Self {
        let bar = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(accounts as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} accounts {pos}/{len} {wide_msg} {elapsed}")
                    .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { bar, log }
    }

    pub fn account_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(format!(
                "calls {} errors {}",
                self.log.calls(),
                self.log.errors()
            ));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
