// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema, as numbered forward-only migrations. Most DDL is portable between SQLite and
// PostgreSQL; the parts that are not (triggers) are written once per dialect.
//
// Conventions: ids are TEXT (UUIDv7); instants are BIGINT Unix milliseconds; calendar dates are
// TEXT 'YYYY-MM-DD' (sortable as text on both backends); money is BIGINT minor units + TEXT
// ISO 4217 code; JSON documents are TEXT. A contract's parties and tags are kept both as JSON on
// the row (one-row reads) and in side tables (indexed filters, foreign keys); writes keep the two
// in step within one transaction.

#include <string>

#include "store/migrations.hpp"

namespace cm::store {

namespace {

constexpr const char* kInitialSchema = R"SQL(
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  contract_types TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'member', 'viewer')),
  password_hash TEXT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users (org_id, email);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'member', 'viewer')),
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_keys_org ON api_keys (org_id, created_at);

CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  family_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE counterparties (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('company', 'person')),
  registration_number TEXT,
  country TEXT,
  address TEXT,
  contact_name TEXT,
  contact_email TEXT,
  notes TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX counterparties_org_name ON counterparties (org_id, name, id);

CREATE TABLE contracts (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  owner_id TEXT NOT NULL REFERENCES users(id),
  value_minor BIGINT,
  currency TEXT,
  effective_date TEXT,
  expiration_date TEXT,
  auto_renew BOOLEAN NOT NULL DEFAULT FALSE,
  renewal_term_months INTEGER,
  notice_period_days INTEGER,
  custom_fields TEXT NOT NULL DEFAULT '{}',
  parties TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  CHECK (value_minor IS NULL OR value_minor >= 0),
  CHECK ((value_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX contracts_org_created ON contracts (org_id, created_at, id);
CREATE INDEX contracts_org_updated ON contracts (org_id, updated_at, id);
CREATE INDEX contracts_org_title ON contracts (org_id, title, id);
CREATE INDEX contracts_org_expiration ON contracts (org_id, (COALESCE(expiration_date, '9999-12-31')), id);
CREATE INDEX contracts_org_effective ON contracts (org_id, (COALESCE(effective_date, '9999-12-31')), id);
CREATE INDEX contracts_org_value ON contracts (org_id, (COALESCE(value_minor, -1)), id);
CREATE INDEX contracts_org_status ON contracts (org_id, status);
CREATE INDEX contracts_org_owner ON contracts (org_id, owner_id);

CREATE TABLE contract_parties (
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  counterparty_id TEXT NOT NULL REFERENCES counterparties(id),
  role TEXT NOT NULL,
  PRIMARY KEY (contract_id, counterparty_id, role)
);
CREATE INDEX contract_parties_counterparty ON contract_parties (org_id, counterparty_id, contract_id);

CREATE TABLE contract_tags (
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (contract_id, tag)
);
CREATE INDEX contract_tags_tag ON contract_tags (org_id, tag, contract_id);

CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  changes TEXT,
  request_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_entity ON audit_events (org_id, entity_id, seq);
CREATE INDEX audit_events_actor ON audit_events (org_id, actor_id, seq);
CREATE INDEX audit_events_at ON audit_events (org_id, at);

CREATE TABLE audit_heads (
  org_id TEXT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
  org_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, actor_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
)SQL";

// Audit rows are append-only: the database itself refuses UPDATE and DELETE, so no code path
// (ours or a careless script) can rewrite history without first disabling the guard.
constexpr const char* kSqliteAuditGuard = R"SQL(
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
)SQL";

constexpr const char* kPostgresAuditGuard = R"SQL(
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
)SQL";

// The durable job queue (src/jobs). Claiming scans `jobs_due` (queued, by run_at) and
// `jobs_leased` (running, by lease end: an expired lease is claimable again); both are partial
// indexes, so finished jobs, however many, cost the claim nothing. `unique_key` lets exactly one
// scheduler enqueue each period of a periodic job. Instants are Unix ms like everywhere else.
constexpr const char* kJobsSchema = R"SQL(
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  org_id TEXT,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'dead', 'cancelled')),
  run_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
  locked_by TEXT,
  locked_until BIGINT,
  last_error TEXT,
  unique_key TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT,
  CHECK ((status = 'running') = (locked_until IS NOT NULL))
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_kind_status ON jobs (kind, status);
CREATE INDEX jobs_created ON jobs (created_at, id);
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('succeeded', 'cancelled');
)SQL";

// Documents: a logical document per contract and name, with immutable numbered versions. A
// version row is written only after its blob is durable, so a row never points at nothing; a
// blob without a row (a crash in between) is removed by `blobs gc` after a grace period.
// Soft deletion sets deleted_at and purge_after; the purge job removes rows and blobs later.
constexpr const char* kDocumentsSchema = R"SQL(
ALTER TABLE contracts ADD COLUMN legal_hold BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('main', 'attachment', 'signed_copy', 'exhibit')),
  latest_version INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT,
  deleted_by TEXT,
  purge_after BIGINT
);
CREATE UNIQUE INDEX documents_live_name ON documents (contract_id, name_key)
  WHERE deleted_at IS NULL;
CREATE INDEX documents_contract ON documents (org_id, contract_id, created_at, id);
CREATE INDEX documents_purge ON documents (purge_after) WHERE purge_after IS NOT NULL;

CREATE TABLE document_versions (
  document_id TEXT NOT NULL REFERENCES documents(id),
  version INTEGER NOT NULL,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  filename TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  blob_key TEXT NOT NULL UNIQUE,
  stored_size BIGINT NOT NULL,
  key_id TEXT,
  wrapped_key TEXT,
  uploaded_by TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  extraction TEXT NOT NULL CHECK (extraction IN ('pending', 'done', 'failed', 'unsupported')),
  extraction_error TEXT,
  page_count INTEGER,
  char_count BIGINT,
  extracted_text TEXT,
  PRIMARY KEY (document_id, version)
);
)SQL";

// Collaboration: threaded comments with their mentions (JSON array of user ids), explicit
// watchers (owners watch implicitly), in-app notifications and each user's notification choices.
constexpr const char* kCollaborationSchema = R"SQL(
CREATE TABLE contract_comments (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  parent_id TEXT REFERENCES contract_comments(id),
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  mentions TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX contract_comments_contract ON contract_comments (org_id, contract_id, created_at, id);

CREATE TABLE contract_watchers (
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  org_id TEXT NOT NULL REFERENCES organizations(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (contract_id, user_id)
);

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE notification_preferences (
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  PRIMARY KEY (user_id, kind)
);
)SQL";

// Workflow: lifecycle columns on contracts, the transition history, each organization's approval
// policy (one JSON document, versioned), approvals (a JSON snapshot of the core Approval, so a
// policy change never alters one under way) and approvers' delegations.
constexpr const char* kWorkflowSchema = R"SQL(
ALTER TABLE contracts ADD COLUMN activated_at BIGINT;
ALTER TABLE contracts ADD COLUMN terminated_at BIGINT;
ALTER TABLE contracts ADD COLUMN termination_reason TEXT;
ALTER TABLE contracts ADD COLUMN signed_at BIGINT;
ALTER TABLE contracts ADD COLUMN renewal_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE contract_transitions (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  actor_id TEXT,
  comment TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX contract_transitions_contract ON contract_transitions (org_id, contract_id, at, id);

CREATE TABLE approval_policies (
  org_id TEXT PRIMARY KEY REFERENCES organizations(id),
  policy TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE contract_approvals (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  contract_id TEXT NOT NULL REFERENCES contracts(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'void')),
  approval TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contract_approvals_contract ON contract_approvals (org_id, contract_id, created_at);
CREATE INDEX contract_approvals_pending ON contract_approvals (org_id) WHERE status = 'pending';

CREATE TABLE approval_delegations (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  delegate_id TEXT NOT NULL REFERENCES users(id),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX approval_delegations_user ON approval_delegations (org_id, user_id);
CREATE INDEX approval_delegations_delegate ON approval_delegations (org_id, delegate_id);
)SQL";

// Obligations and milestones of contracts (dates are YYYY-MM-DD text, so they sort as text), and
// the reminders sent for them: the primary key makes each (obligation, due date, offset) reminder
// happen once even with several workers (offset 0 = the overdue notice).
constexpr const char* kObligationsSchema = R"SQL(
CREATE TABLE obligations (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('payment', 'delivery', 'reporting', 'compliance', 'notice',
                                     'other')),
  responsible TEXT NOT NULL CHECK (responsible IN ('us', 'counterparty')),
  assignee_id TEXT REFERENCES users(id),
  due_date TEXT NOT NULL,
  anchor_date TEXT NOT NULL,
  recurrence_frequency TEXT CHECK (recurrence_frequency IN ('monthly', 'quarterly', 'yearly')),
  recurrence_until TEXT,
  amount_minor BIGINT,
  amount_currency TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'done', 'waived')),
  completed_at BIGINT,
  completed_by TEXT,
  previous_id TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX obligations_assignee ON obligations (org_id, assignee_id, status, due_date, id);
CREATE INDEX obligations_contract ON obligations (org_id, contract_id, due_date, id);
CREATE INDEX obligations_org_due ON obligations (org_id, status, due_date, id);
CREATE INDEX obligations_open_due ON obligations (due_date) WHERE status = 'open';

CREATE TABLE obligation_reminders (
  obligation_id TEXT NOT NULL REFERENCES obligations(id) ON DELETE CASCADE,
  due_date TEXT NOT NULL,
  offset_days INTEGER NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (obligation_id, due_date, offset_days)
);
)SQL";

// Renewals and related contracts: each organization's time zone (its calendar dates decide
// deadlines) and renewal reminder offsets; a scheduled termination date; a contract's parent and
// relation; and the renewal reminders sent, whose primary key makes each (contract, notice
// deadline, offset) reminder happen once however many workers run the daily job.
constexpr const char* kRenewalsSchema = R"SQL(
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE organizations ADD COLUMN renewal_reminder_days TEXT NOT NULL DEFAULT '[90,60,30,7]';
ALTER TABLE contracts ADD COLUMN termination_effective_date TEXT;
ALTER TABLE contracts ADD COLUMN parent_id TEXT REFERENCES contracts(id);
ALTER TABLE contracts ADD COLUMN relation TEXT;
ALTER TABLE contracts ADD COLUMN applies_to_parent TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contracts ADD COLUMN notice_deadline TEXT;
CREATE INDEX contracts_parent ON contracts (org_id, parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX contracts_in_force_expiration ON contracts (org_id, expiration_date, id)
  WHERE status IN ('active', 'renewed');
CREATE INDEX contracts_in_force_notice ON contracts (org_id, notice_deadline, id)
  WHERE status IN ('active', 'renewed');
CREATE INDEX contracts_termination_due ON contracts (org_id, termination_effective_date, id)
  WHERE status IN ('active', 'renewed') AND termination_effective_date IS NOT NULL;

CREATE TABLE renewal_reminders (
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  notice_deadline TEXT NOT NULL,
  offset_days INTEGER NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (contract_id, notice_deadline, offset_days)
);
)SQL";

// notice_deadline (expiration - notice period, kept by ContractRepository) for existing rows.
constexpr const char* kSqliteNoticeBackfill = R"SQL(
UPDATE contracts SET notice_deadline =
  date(expiration_date, '-' || COALESCE(notice_period_days, 0) || ' days')
  WHERE expiration_date IS NOT NULL;
)SQL";
constexpr const char* kPostgresNoticeBackfill = R"SQL(
UPDATE contracts SET notice_deadline =
  to_char(expiration_date::date - COALESCE(notice_period_days, 0), 'YYYY-MM-DD')
  WHERE expiration_date IS NOT NULL;
)SQL";

// Reports and approval SLAs. The summary report's GROUP BY queries read these indexes instead of
// the table (counts by status and type with the value sums, in one pass; expirations of
// contracts in force, one range per status; activation times for the cycle time), the approvals.sla
// job walks the pending approvals of every organization in (org_id, id) order, and each overdue
// approval stage is notified once: the primary key of approval_sla_notices is the (approval, stage)
// the job records in the notification's transaction.
constexpr const char* kReportsSchema = R"SQL(
CREATE INDEX contracts_org_groups ON contracts (org_id, status, type, archived, currency, value_minor);
CREATE INDEX contracts_org_status_expiration ON contracts (org_id, status, expiration_date);
CREATE INDEX contracts_org_activated ON contracts (org_id, activated_at, created_at) WHERE activated_at IS NOT NULL;
CREATE INDEX contract_approvals_pending_org_id ON contract_approvals (org_id, id) WHERE status = 'pending';

CREATE TABLE approval_sla_notices (
  approval_id TEXT NOT NULL REFERENCES contract_approvals(id) ON DELETE CASCADE,
  stage INTEGER NOT NULL,
  due_on TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (approval_id, stage)
);
)SQL";

// E-signatures: a signature request per sending of a contract (the main document's version
// snapshotted), its signers with their link token (only its SHA-256 is stored; unique) and the
// evidence of each signature or decline. At most one pending request per contract. Rows go with
// their contract (a draft that is deleted); the document is referenced by id only, so a purge
// of the document never breaks the record of what was signed.
constexpr const char* kSignaturesSchema = R"SQL(
CREATE TABLE signature_requests (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'declined', 'cancelled',
                                         'voided')),
  signing_order TEXT NOT NULL CHECK (signing_order IN ('sequential', 'parallel')),
  message TEXT,
  requested_by TEXT NOT NULL,
  document_id TEXT NOT NULL,
  document_version INTEGER NOT NULL,
  document_name TEXT NOT NULL,
  document_size BIGINT NOT NULL,
  document_sha256 TEXT NOT NULL,
  document_content_type TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  completed_at BIGINT,
  ended_at BIGINT,
  end_reason TEXT,
  certificate_json_id TEXT,
  certificate_pdf_id TEXT
);
CREATE INDEX signature_requests_contract ON signature_requests (org_id, contract_id, created_at, id);
CREATE UNIQUE INDEX signature_requests_one_pending ON signature_requests (contract_id)
  WHERE status = 'pending';

CREATE TABLE signature_signers (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  request_id TEXT NOT NULL REFERENCES signature_requests(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  user_id TEXT REFERENCES users(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'signed', 'declined')),
  token_hash TEXT NOT NULL UNIQUE,
  token_issued_at BIGINT NOT NULL,
  token_used_at BIGINT,
  signed_at BIGINT,
  signed_name TEXT,
  consent BOOLEAN NOT NULL DEFAULT FALSE,
  ip TEXT,
  user_agent TEXT,
  document_sha256 TEXT,
  via TEXT CHECK (via IN ('link', 'session')),
  declined_at BIGINT,
  decline_reason TEXT,
  UNIQUE (request_id, position)
);
CREATE INDEX signature_signers_request ON signature_signers (org_id, request_id, position);
CREATE INDEX signature_signers_user ON signature_signers (org_id, user_id)
  WHERE user_id IS NOT NULL;
)SQL";

// Each audit event names the contract it belongs to (core audit_contract_id: the contract
// itself, or the contract a child's event names as "contractId"), so a contract's trail includes
// its documents' events through one more index range. Existing rows are backfilled with the
// same rule (a nested CASE, so that a row whose changes are not JSON, an edited one that
// `audit verify` reports, is never given to json_type); the append-only guard is lifted for that
// one UPDATE, inside the migration's transaction, and restored before it commits. The column is
// not hashed (core/audit.hpp says why), so the backfill leaves every hash valid.
constexpr const char* kSqliteAuditContracts = R"SQL(
ALTER TABLE audit_events ADD COLUMN contract_id TEXT;
DROP TRIGGER audit_events_no_update;
UPDATE audit_events SET contract_id = CASE
    WHEN entity_type = 'contract' THEN entity_id
    WHEN json_valid(changes) THEN CASE WHEN json_type(changes, '$.contractId') = 'text'
      THEN json_extract(changes, '$.contractId') END
  END;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE INDEX audit_events_contract ON audit_events (org_id, contract_id, seq);
)SQL";

// PostgreSQL 15 has no IS JSON: a stored `changes` that is not JSON (an edited row, which
// `audit verify` reports) must not fail the migration, hence the function that catches the cast.
constexpr const char* kPostgresAuditContracts = R"SQL(
ALTER TABLE audit_events ADD COLUMN contract_id TEXT;
CREATE OR REPLACE FUNCTION pg_temp.cm_json_string(doc TEXT, field TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
BEGIN
  IF jsonb_typeof(doc::jsonb -> field) = 'string' THEN
    RETURN doc::jsonb ->> field;
  END IF;
  RETURN NULL;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
UPDATE audit_events SET contract_id = CASE
    WHEN entity_type = 'contract' THEN entity_id
    ELSE pg_temp.cm_json_string(changes, 'contractId')
  END
  WHERE entity_type = 'contract' OR changes LIKE '%contractId%';
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
CREATE INDEX audit_events_contract ON audit_events (org_id, contract_id, seq);
)SQL";

// Saved views of the contracts list: a person's named filters and columns (the web UI's).
constexpr const char* kSavedViewsSchema = R"SQL(
CREATE TABLE saved_views (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  columns TEXT NOT NULL DEFAULT '[]',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX saved_views_name ON saved_views (org_id, user_id, name);
)SQL";

}  // namespace

const std::vector<Migration>& all_migrations() {
  static const std::string sqlite_v1 = std::string(kInitialSchema) + kSqliteAuditGuard;
  static const std::string postgres_v1 = std::string(kInitialSchema) + kPostgresAuditGuard;
  static const std::string sqlite_v7 = std::string(kRenewalsSchema) + kSqliteNoticeBackfill;
  static const std::string postgres_v7 = std::string(kRenewalsSchema) + kPostgresNoticeBackfill;
  static const std::vector<Migration> migrations = {
      {1, "initial schema: organizations, users, auth, counterparties, contracts, audit", sqlite_v1,
       postgres_v1},
      {2, "job queue", kJobsSchema, kJobsSchema},
      {3, "documents and versions; legal hold on contracts", kDocumentsSchema, kDocumentsSchema},
      {4, "comments, watchers, notifications", kCollaborationSchema, kCollaborationSchema},
      {5, "workflow: lifecycle columns, transitions, approval policies, approvals, delegations",
       kWorkflowSchema, kWorkflowSchema},
      {6, "obligations and their reminders", kObligationsSchema, kObligationsSchema},
      {7, "renewals: organization time zones and reminder offsets, terminations, related contracts",
       sqlite_v7, postgres_v7},
      {8, "e-signatures: signature requests and signers", kSignaturesSchema, kSignaturesSchema},
      {9, "report indexes; approval SLA notices", kReportsSchema, kReportsSchema},
      {10, "audit events name their contract (a contract's trail includes its documents')",
       kSqliteAuditContracts, kPostgresAuditContracts},
      {11, "saved views of the contracts list", kSavedViewsSchema, kSavedViewsSchema},
  };
  return migrations;
}

}  // namespace cm::store
