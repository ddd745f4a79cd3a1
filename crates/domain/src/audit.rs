//! The audit trail: an append-only log of every change made through the platform. Each entry
//! records who, when, what and the values before and after, and carries the SHA-256 hash of its
//! own content and of the entry before it, so that altering, removing, inserting or reordering
//! entries breaks the chain; [`verify`] names the first bad entry.
//!
//! A chain alone cannot show that entries were cut off its end: [`verify`] also takes the head
//! (count and last hash) that was recorded or published elsewhere, when there is one.

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::subject::Subject;

/// The hash of "no entry before": the first entry's `previous_hash`.
pub const GENESIS: [u8; 32] = [0; 32];

/// Declares [`AuditAction`]: each action with its stable code (stored in the trail and
/// hashed, so never changed) and its name in Chinese and English.
macro_rules! audit_actions {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $zh:literal, $en:literal;)*) => {
        /// What a recorded change did: every action the audit trail records, defined once
        /// for storage, the web platform and the command line.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($(#[$doc])* $variant,)*
        }

        impl AuditAction {
            /// Every action, in the order declared.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),*];

            /// The code stored in the trail (`wave.open`).
            pub fn code(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $code,)*
                }
            }

            /// The action with this code.
            pub fn from_code(code: &str) -> Option<AuditAction> {
                match code {
                    $($code => Some(AuditAction::$variant),)*
                    _ => None,
                }
            }

            /// Its name in Chinese, for the audit page.
            pub fn name_zh(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $zh,)*
                }
            }

            /// Its name in English.
            pub fn name_en(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $en,)*
                }
            }
        }
    };
}

audit_actions! {
    /// A wave was created (as a draft).
    WaveCreate => "wave.create", "新建一轮评价", "Wave created";
    /// A draft wave was edited.
    WaveEdit => "wave.edit", "修改评价草稿", "Draft wave edited";
    /// A wave began taking responses.
    WaveOpen => "wave.open", "开始收集答卷", "Wave opened";
    /// A wave stopped taking responses.
    WaveClose => "wave.close", "结束收集答卷", "Wave closed";
    /// A wave went back to draft.
    WaveDraft => "wave.draft", "退回草稿", "Wave returned to draft";
    /// Responses were imported from a file.
    WaveImport => "wave.import", "导入答卷", "Responses imported";
    /// A wave's responses were exported one by one.
    WaveExportMicrodata => "wave.export_microdata", "导出原始答卷", "Microdata exported";
    /// The audit trail was exported.
    AuditExport => "audit.export", "导出审计记录", "Audit trail exported";
    /// A staff account was created.
    AccountCreate => "account.create", "新建账户", "Account created";
    /// An account was disabled.
    AccountDisable => "account.disable", "停用账户", "Account disabled";
    /// An account was enabled again.
    AccountEnable => "account.enable", "启用账户", "Account enabled";
    /// An account's password was reset.
    AccountReset => "account.reset", "重置密码", "Password reset";
    /// Sign-ins to an account were paused after repeated failures.
    AccountLock => "account.lock", "多次登录失败，暂停登录", "Sign-ins paused after failures";
    /// A unit was added or renamed.
    UnitPut => "unit.put", "新增或更名单位", "Unit added or renamed";
    /// A department's part in a project was set.
    ProjectDepartmentSet => "project_department.set", "设定部门分工", "Department's part set";
    /// A project was registered, or its register entry changed.
    ProjectRegister => "project.register", "登记或修改项目", "Project registered or changed";
    /// A responsibility letter was started.
    LetterCreate => "letter.create", "起草责任书", "Letter started";
    /// A draft letter's commitments were changed.
    LetterEdit => "letter.edit", "修改责任书内容", "Letter's commitments changed";
    /// A letter was issued by the office.
    LetterIssue => "letter.issue", "下达责任书", "Letter issued";
    /// An issued letter was taken back to draft.
    LetterReturn => "letter.return", "退回责任书修改", "Letter returned to draft";
    /// A letter was accepted (signed) by its lead department.
    LetterAccept => "letter.accept", "签收责任书", "Letter accepted";
    /// A progress report was submitted.
    ReportSubmit => "report.submit", "报送进展", "Progress reported";
    /// The lead department reviewed a progress report.
    ReportReview => "report.review", "审核进展报告", "Progress report reviewed";
    /// The office accepted a progress report.
    ReportAccept => "report.accept", "确认进展报告", "Progress report accepted";
    /// A progress report was returned with a reason.
    ReportReturn => "report.return", "退回进展报告", "Progress report returned";
    /// A file was attached to a progress report as evidence.
    ReportEvidence => "report.evidence", "上传佐证材料", "Evidence attached";
    /// The office sent a supervision notice.
    NoticeIssue => "notice.issue", "发出督办单", "Supervision notice sent";
    /// A department answered a supervision notice.
    NoticeAnswer => "notice.answer", "答复督办单", "Supervision notice answered";
    /// The office closed a supervision notice.
    NoticeClose => "notice.close", "办结督办单", "Supervision notice closed";
    /// The office convened a joint meeting.
    MeetingConvene => "meeting.convene", "召开联席会议", "Joint meeting convened";
    /// The minutes of a joint meeting were signed, with its decisions and action items.
    MeetingMinutes => "meeting.minutes", "签发联席会议纪要", "Joint meeting's minutes signed";
    /// A department reported a meeting's action item done.
    ActionComplete => "meeting.action_complete", "报告督办事项完成", "Action item reported done";
    /// A role was granted.
    RoleGrant => "role.grant", "授予角色", "Role granted";
    /// A role was taken back.
    RoleRevoke => "role.revoke", "收回角色", "Role revoked";
    /// A decision to publish a wave's results.
    DecisionPublishResults => "decision.publish_results", "决定公布结果", "Decision: results published";
    /// A decision to withdraw published results.
    DecisionWithdrawResults => "decision.withdraw_results", "决定撤回结果", "Decision: results withdrawn";
    /// A decision to move a project to another stage.
    DecisionMoveStage => "decision.move_stage", "决定调整项目阶段", "Decision: project stage moved";
    /// A project's plan (period, budget, scope) was set before implementation.
    ProjectPlanSet => "project.plan", "填报项目计划", "Project plan set";
    /// A change of a project's frozen plan was proposed.
    ModificationPropose => "modification.propose", "提出计划变更", "Plan change proposed";
    /// The office approved a change of a project's plan.
    ModificationApprove => "modification.approve", "批准计划变更", "Plan change approved";
    /// The office did not approve a change of a project's plan.
    ModificationReject => "modification.reject", "不批准计划变更", "Plan change not approved";
}

impl AuditAction {
    /// The action that records a decision of `kind`.
    pub fn decided(kind: crate::decision::DecisionKind) -> AuditAction {
        match kind {
            crate::decision::DecisionKind::PublishResults => AuditAction::DecisionPublishResults,
            crate::decision::DecisionKind::WithdrawResults => AuditAction::DecisionWithdrawResults,
            crate::decision::DecisionKind::MoveStage(_) => AuditAction::DecisionMoveStage,
        }
    }
}

/// A change about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// When, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// Who: the account that made the change.
    pub actor: String,
    /// What was done: an [`AuditAction`]'s code, e.g. `wave.open` (text, as stored and
    /// hashed, so that a trail written by a later version still verifies).
    pub action: String,
    /// What it was done to: a [`Subject`], e.g. `wave/2`.
    pub subject: String,
    /// The subject before (JSON text), `None` when it was created.
    pub before: Option<String>,
    /// The subject after (JSON text), `None` when it was removed.
    pub after: Option<String>,
}

impl NewAuditEntry {
    /// A change made by `by`: what was done ([`AuditAction::WaveOpen`]), to what
    /// ([`Subject::Wave`]), and the subject before and after as JSON text.
    pub fn attributed(
        by: &crate::platform::Attribution,
        action: AuditAction,
        subject: &Subject,
        before: Option<String>,
        after: Option<String>,
    ) -> NewAuditEntry {
        NewAuditEntry {
            at_ms: by.at_ms,
            actor: by.actor.clone(),
            action: action.code().to_string(),
            subject: subject.to_string(),
            before,
            after,
        }
    }
}

/// A recorded change, chained to the one before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub sequence: u64,
    /// The change.
    pub change: NewAuditEntry,
    /// The hash of the entry before ([`GENESIS`] for the first).
    pub previous_hash: [u8; 32],
    /// The hash of this entry: its sequence, the previous hash and the change.
    pub hash: [u8; 32],
}

/// The end of a log as recorded elsewhere: how many entries it had and the last one's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditHead {
    /// Entries in the log.
    pub count: u64,
    /// The hash of the last entry ([`GENESIS`] for an empty log).
    pub hash: [u8; 32],
}

impl AuditHead {
    /// The head as text to publish or write down: `COUNT:HASH` (hexadecimal).
    pub fn anchor(&self) -> String {
        format!("{}:{}", self.count, crate::hex::encode(&self.hash))
    }

    /// Reads an anchor written by [`AuditHead::anchor`].
    pub fn from_anchor(text: &str) -> Result<AuditHead, String> {
        let malformed = || format!("an anchor is COUNT:HASH (64 hexadecimal digits), not {text:?}");
        let (count, hash) = text.trim().split_once(':').ok_or_else(malformed)?;
        let count: u64 = count.parse().map_err(|_| malformed())?;
        let hash = crate::hex::decode::<32>(hash).ok_or_else(malformed)?;
        Ok(AuditHead { count, hash })
    }
}

/// Checks that a head recorded elsewhere earlier (an anchor: printed, published, handed to an
/// auditor) is still part of `entries`: entry `count` has the recorded hash. With [`verify`],
/// this detects even a rewrite of both the log and its head in the database, back to the
/// anchor.
pub fn verify_anchor(entries: &[AuditEntry], anchor: &AuditHead) -> Result<(), AuditBreak> {
    if anchor.count == 0 {
        return if anchor.hash == GENESIS {
            Ok(())
        } else {
            Err(AuditBreak::AnchorMismatch { count: 0 })
        };
    }
    let found = entries.len() as u64;
    let entry = usize::try_from(anchor.count - 1)
        .ok()
        .and_then(|k| entries.get(k))
        .ok_or(AuditBreak::AnchorBeyondEnd {
            count: anchor.count,
            found,
        })?;
    if entry.sequence == anchor.count && entry.hash == anchor.hash {
        Ok(())
    } else {
        Err(AuditBreak::AnchorMismatch {
            count: anchor.count,
        })
    }
}

/// Where and how a log fails verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AuditBreak {
    /// An entry's content no longer matches its hash.
    #[error("entry {sequence} was altered: its content does not match its hash")]
    Altered {
        /// The entry.
        sequence: u64,
    },
    /// An entry does not follow the one before it (removed, inserted or reordered entries).
    #[error("entry {sequence} does not follow the entry before it (an entry was removed, inserted or moved)")]
    BrokenLink {
        /// The entry.
        sequence: u64,
    },
    /// The entry at position `position` carries another sequence number.
    #[error(
        "position {position} holds entry {found}: entries were removed, inserted or reordered"
    )]
    OutOfSequence {
        /// The position (from 1).
        position: u64,
        /// The sequence number found there.
        found: u64,
    },
    /// The log ends before the recorded head: entries were cut off its end.
    #[error("the log ends after entry {found}, but {expected} entries were recorded")]
    Truncated {
        /// Entries recorded.
        expected: u64,
        /// Entries found.
        found: u64,
    },
    /// The last entry is not the recorded head.
    #[error("the last entry does not match the recorded head")]
    HeadMismatch,
    /// A head recorded elsewhere earlier (an anchor) is not part of the log any more.
    #[error("entry {count} does not match the anchor recorded for it: the log was rewritten up to there")]
    AnchorMismatch {
        /// The anchor's entry.
        count: u64,
    },
    /// An anchor names an entry the log does not have.
    #[error("the anchor names entry {count}, but the log has only {found} entries")]
    AnchorBeyondEnd {
        /// The anchor's entry.
        count: u64,
        /// Entries in the log.
        found: u64,
    },
}

/// Length-prefixed fields, so that no two different entries encode alike.
fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

fn optional(hasher: &mut Sha256, text: &Option<String>) {
    match text {
        None => hasher.update([0u8]),
        Some(text) => {
            hasher.update([1u8]);
            field(hasher, text.as_bytes());
        }
    }
}

/// The hash of an entry's content.
fn entry_hash(sequence: u64, previous_hash: &[u8; 32], change: &NewAuditEntry) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"minxin-audit-v1");
    hasher.update(sequence.to_be_bytes());
    hasher.update(previous_hash);
    hasher.update(change.at_ms.to_be_bytes());
    field(&mut hasher, change.actor.as_bytes());
    field(&mut hasher, change.action.as_bytes());
    field(&mut hasher, change.subject.as_bytes());
    optional(&mut hasher, &change.before);
    optional(&mut hasher, &change.after);
    hasher.finalize().into()
}

impl NewAuditEntry {
    /// The entry that follows `previous` (the first entry when `None`).
    pub fn seal(self, previous: Option<&AuditEntry>) -> AuditEntry {
        self.seal_after(previous.map(AuditEntry::head))
    }

    /// The entry that follows a log ending at `head` (the first entry when `None`).
    pub fn seal_after(self, head: Option<AuditHead>) -> AuditEntry {
        let (sequence, previous_hash) = head.map_or((1, GENESIS), |h| (h.count + 1, h.hash));
        AuditEntry {
            hash: entry_hash(sequence, &previous_hash, &self),
            sequence,
            change: self,
            previous_hash,
        }
    }
}

/// A stored hash as 32 bytes; a stored value of another length reads as all zeros, which no
/// entry hashes to, so verification reports the entry as altered.
pub fn hash_from_bytes(bytes: &[u8]) -> [u8; 32] {
    bytes.try_into().unwrap_or([0; 32])
}

impl AuditEntry {
    /// The head of a log that ends with this entry.
    pub fn head(&self) -> AuditHead {
        AuditHead {
            count: self.sequence,
            hash: self.hash,
        }
    }
}

/// Checks a whole log, in stored order, against itself and, when given, against the head
/// recorded elsewhere. Returns the number of entries, or the first break.
pub fn verify(entries: &[AuditEntry], head: Option<AuditHead>) -> Result<u64, AuditBreak> {
    let mut previous_hash = GENESIS;
    for (index, entry) in entries.iter().enumerate() {
        let position = index as u64 + 1;
        if entry.sequence != position {
            return Err(AuditBreak::OutOfSequence {
                position,
                found: entry.sequence,
            });
        }
        if entry.hash != entry_hash(entry.sequence, &entry.previous_hash, &entry.change) {
            return Err(AuditBreak::Altered {
                sequence: entry.sequence,
            });
        }
        if entry.previous_hash != previous_hash {
            return Err(AuditBreak::BrokenLink {
                sequence: entry.sequence,
            });
        }
        previous_hash = entry.hash;
    }
    let count = entries.len() as u64;
    if let Some(head) = head {
        if count < head.count {
            return Err(AuditBreak::Truncated {
                expected: head.count,
                found: count,
            });
        }
        let last = entries
            .get(
                usize::try_from(head.count)
                    .unwrap_or(usize::MAX)
                    .wrapping_sub(1),
            )
            .map_or(GENESIS, |e| e.hash);
        if last != head.hash {
            return Err(AuditBreak::HeadMismatch);
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_code_and_reads_back() {
        let mut codes: Vec<&str> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(*action));
            assert!(!action.name_zh().is_empty() && !action.name_en().is_empty());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len(), "codes are distinct");
        assert_eq!(AuditAction::from_code("wave.opened"), None);
        assert_eq!(
            AuditAction::decided(crate::decision::DecisionKind::PublishResults).code(),
            format!(
                "decision.{}",
                crate::decision::DecisionKind::PublishResults.code()
            )
        );
    }

    fn change(k: i64) -> NewAuditEntry {
        NewAuditEntry {
            at_ms: 1_000 + k,
            actor: format!("user{}", k % 3),
            action: "wave.open".into(),
            subject: format!("wave/{k}"),
            before: (k % 2 == 0).then(|| format!("{{\"status\":\"draft\",\"k\":{k}}}")),
            after: Some(format!("{{\"status\":\"open\",\"k\":{k}}}")),
        }
    }

    fn log(length: i64) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for k in 0..length {
            let entry = change(k).seal(entries.last());
            entries.push(entry);
        }
        entries
    }

    #[test]
    fn an_intact_log_verifies_with_and_without_its_head() {
        let entries = log(6);
        let head = entries.last().unwrap().head();
        assert_eq!(verify(&entries, None), Ok(6));
        assert_eq!(verify(&entries, Some(head)), Ok(6));
        assert_eq!(verify(&[], None), Ok(0));
        assert_eq!(
            verify(
                &[],
                Some(AuditHead {
                    count: 0,
                    hash: GENESIS
                })
            ),
            Ok(0)
        );
    }

    #[test]
    fn every_altered_field_is_found_at_its_entry() {
        let alterations: [fn(&mut AuditEntry); 7] = [
            |e| e.change.at_ms += 1,
            |e| e.change.actor.push('x'),
            |e| e.change.action = "wave.close".into(),
            |e| e.change.subject.push('9'),
            |e| e.change.before = None,
            |e| e.change.after = Some("{}".into()),
            |e| e.hash[0] ^= 1,
        ];
        for alter in alterations {
            let mut entries = log(5);
            alter(&mut entries[2]);
            assert_eq!(
                verify(&entries, None),
                Err(AuditBreak::Altered { sequence: 3 })
            );
        }
    }

    #[test]
    fn removed_inserted_and_reordered_entries_are_found() {
        let mut removed = log(5);
        removed.remove(2);
        assert_eq!(
            verify(&removed, None),
            Err(AuditBreak::OutOfSequence {
                position: 3,
                found: 4
            })
        );
        let mut reordered = log(5);
        reordered.swap(1, 3);
        assert_eq!(
            verify(&reordered, None),
            Err(AuditBreak::OutOfSequence {
                position: 2,
                found: 4
            })
        );
        // A forged entry re-sealed in place of entry 3 (with a correct own hash) breaks the link
        // from entry 4.
        let mut forged = log(5);
        let mut replacement = change(99).seal(Some(&forged[1]));
        replacement.sequence = 3;
        forged[2] = replacement;
        assert_eq!(
            verify(&forged, None),
            Err(AuditBreak::BrokenLink { sequence: 4 })
        );
        // Renumbering after a removal still breaks the chain.
        let mut renumbered = log(5);
        renumbered.remove(2);
        for (k, entry) in renumbered.iter_mut().enumerate() {
            entry.sequence = k as u64 + 1;
        }
        assert!(matches!(
            verify(&renumbered, None),
            Err(AuditBreak::Altered { sequence: 3 })
        ));
    }

    #[test]
    fn cutting_off_the_end_is_found_only_against_the_recorded_head() {
        let entries = log(5);
        let head = entries.last().unwrap().head();
        let cut = &entries[..3];
        assert_eq!(verify(cut, None), Ok(3), "a chain alone cannot tell");
        assert_eq!(
            verify(cut, Some(head)),
            Err(AuditBreak::Truncated {
                expected: 5,
                found: 3
            })
        );
        let mut other_end = log(5);
        other_end[4] = change(42).seal(Some(&other_end[3]));
        assert_eq!(
            verify(&other_end, Some(head)),
            Err(AuditBreak::HeadMismatch)
        );
    }

    #[test]
    fn an_anchor_detects_a_log_rewritten_with_its_head() {
        let entries = log(6);
        let anchor = entries[3].head();
        assert_eq!(AuditHead::from_anchor(&anchor.anchor()), Ok(anchor));
        assert!(AuditHead::from_anchor("4:abc").is_err());
        assert!(AuditHead::from_anchor("four").is_err());
        assert_eq!(verify_anchor(&entries, &anchor), Ok(()));
        // Someone rewrites entry 2 and re-seals everything after it, head included: the
        // chain verifies, the anchor does not.
        let mut rewritten: Vec<AuditEntry> = Vec::new();
        for (k, entry) in entries.iter().enumerate() {
            let mut change = entry.change.clone();
            if k == 1 {
                change.actor = "someone else".into();
            }
            rewritten.push(change.seal(rewritten.last()));
        }
        let new_head = rewritten.last().unwrap().head();
        assert_eq!(verify(&rewritten, Some(new_head)), Ok(6));
        assert_eq!(
            verify_anchor(&rewritten, &anchor),
            Err(AuditBreak::AnchorMismatch { count: 4 })
        );
        assert_eq!(
            verify_anchor(&entries[..2], &anchor),
            Err(AuditBreak::AnchorBeyondEnd { count: 4, found: 2 })
        );
        let empty = AuditHead {
            count: 0,
            hash: GENESIS,
        };
        assert_eq!(verify_anchor(&entries, &empty), Ok(()));
    }
}
