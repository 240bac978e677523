// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once
// Renewals, terminations and expiry, with their history, audit events and notifications, in the
// caller's transaction. Used by POST .../renew and .../terminate and by the daily job
// (jobs/renewal_jobs), which runs as the system.

#include <optional>
#include <string>

#include "core/audit.hpp"
#include "core/contract.hpp"
#include "core/lifecycle.hpp"
#include "core/renewal.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace cm::workflow {

// Renews a contract in force with new terms (status renewed, renewal count + 1, audit
// `contract.renewed` with the changed terms). Validation errors from core renewed_terms.
void renew_contract(store::Connection& conn, const AuditActor& actor, Contract& contract,
                    const RenewalTerms& terms, const CivilDate& today,
                    const std::optional<std::string>& actor_id);

// Terminates a contract in force: at once when effective today (status terminated, audit
// `contract.terminated`), otherwise schedules it (terminationEffectiveDate, audit
// `contract.termination_scheduled`; the daily job terminates it on that day).
TerminationPlan terminate_contract(store::Connection& conn, const AuditActor& actor,
                                   Contract& contract, const TerminationRequest& request,
                                   const CivilDate& today, const std::string& actor_id);

// The daily decision for one contract on `today` (expire, auto-renew, scheduled termination),
// applied as the system; the owner and watchers are notified (kind renewal). Returns what it did.
ExpiryAction run_expiry(store::Connection& conn, const AuditActor& actor, Contract& contract,
                        const CivilDate& today);

// Sends the renewal reminders owed on `today` (offsets before the notice deadline) to the owner
// and watchers: each (contract, deadline, offset) is recorded under a unique key first, so a
// reminder goes out once however many workers run; only the newest owed one is sent when a run
// missed days. True when a notification round was sent.
bool send_renewal_reminders(store::Connection& conn, const Contract& contract,
                            const std::vector<int>& offsets, const CivilDate& today,
                            std::optional<CivilDate> active_since);

}  // namespace cm::workflow
