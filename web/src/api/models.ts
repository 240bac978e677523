// SPDX-License-Identifier: AGPL-3.0-or-later
// The API's shapes, as the server describes them (schema.d.ts is generated from its
// /api/openapi.json). This file is the one place the app imports API shapes from, so a
// renamed schema is fixed here once.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type Role = Schemas['User']['role'];
export type ContractStatus = Schemas['Contract']['status'];

/** Every status in lifecycle order (for filters and charts); checked against the schema. */
export const contractStatuses = [
  'draft',
  'in_review',
  'approved',
  'out_for_signature',
  'active',
  'expired',
  'terminated',
  'renewed',
  'cancelled',
] as const satisfies readonly ContractStatus[];
// Fails to compile when the server adds a status this list lacks.
type MissingStatus = Exclude<ContractStatus, (typeof contractStatuses)[number]>;
const everyStatusListed: MissingStatus extends never ? true : false = true;
void everyStatusListed;

export const roles = ['admin', 'manager', 'member', 'viewer'] as const satisfies readonly Role[];

export type Money = Schemas['Money'];

/** A keyset page, as every list endpoint answers. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type TokenResponse = Schemas['TokenPair'];
export type Organization = Schemas['Organization'];
export type OrganizationUpdate = Schemas['OrganizationUpdate'];
export type User = Schemas['User'];
export type UserCreate = Schemas['UserCreate'];
export type UserUpdate = Schemas['UserUpdate'];
export type Me = Schemas['Me'];
export type UnreadCount = Schemas['UnreadCount'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreate = Schemas['ApiKeyCreate'];

export type Counterparty = Schemas['Counterparty'];
/**
 * What a create or update of a counterparty sends. The spec names the response schema as the
 * request body (server gap, reported), so the input is derived from it here: name and kind
 * are required, every other member optional, server-set members left out.
 */
export type CounterpartyInput = Pick<Counterparty, 'name' | 'kind'> &
  Partial<
    Pick<
      Counterparty,
      'registrationNumber' | 'country' | 'address' | 'contactName' | 'contactEmail' | 'notes'
    >
  >;
/** The body type the generated client expects for POST /counterparties. */
export type CounterpartyRequestBody =
  paths['/api/v1/counterparties']['post']['requestBody']['content']['application/json'];

/**
 * A contract as the caller sees it; `allowedActions` are the actions the caller may take now,
 * computed by the server's own rules (the UI never restates them).
 */
export type Contract = Schemas['Contract'];
export type ContractInput = Schemas['ContractInput'];
export type ContractParty = Contract['parties'][number];
export type Relation = NonNullable<Contract['relation']>;

export type ContractAction = Contract['allowedActions'][number];

export type ContractDocument = Schemas['Document'];
export type DocumentKind = ContractDocument['kind'];
export type DocumentVersion = Schemas['DocumentVersion'];
export type Comparison = Schemas['Comparison'];
export type ComparisonChange = Comparison['changes'][number];

export type AuditEvent = Schemas['AuditEvent'];
export type History = Schemas['History'];
export type Transition = History['items'][number];
export type TransitionInput = Schemas['TransitionInput'];

export type Approval = Schemas['Approval'];
export type ApprovalStageState = Approval['stages'][number];
export type ApprovalDecision = Approval['decisions'][number];
export type DecisionInput = Schemas['DecisionInput'];
export type ApprovalPolicy = Schemas['ApprovalPolicy'];
export type ApprovalPolicyView = Schemas['ApprovalPolicyView'];
export type ApprovalRule = Schemas['ApprovalRule'];
export type ApprovalRoute = Schemas['ApprovalRoute'];
export type ApprovalStage = Schemas['ApprovalStage'];
export type ApprovalConditions = Schemas['ApprovalConditions'];
export type Delegations = Schemas['Delegations'];

export type Obligation = Schemas['Obligation'];
export type ObligationInput = Schemas['ObligationInput'];

export type SignatureRequest = Schemas['SignatureRequest'];
export type SignatureRequestInput = Schemas['SignatureRequestInput'];
export type Signer = Schemas['Signer'];

export type Comment = Schemas['Comment'];
export type CommentInput = Schemas['CommentInput'];

export type Notification = Schemas['Notification'];
export type NotificationKind = Notification['kind'];
export type NotificationPreferences = Schemas['NotificationPreferences'];
export type NotificationPreferencesView = Schemas['NotificationPreferencesView'];

export type Renewal = Schemas['Renewal'];
export type RenewalList = Schemas['RenewalList'];
export type RenewalTerms = Schemas['RenewalTerms'];
export type Termination = Schemas['Termination'];

export type Related = Schemas['Related'];
export type RelatedContract = Related['contracts'][number];
export type SummaryReport = Schemas['SummaryReport'];
export type Problem = Schemas['Problem'];

// Saved views arrive with the server's next build; written from the agreed shape until the spec
// lists them (then replace each by its generated schema).
export interface SavedView {
  id: string;
  name: string;
  /** The contracts list URL query without `?`, e.g. `status=active&sort=-expirationDate`. */
  query: string;
  columns: string[];
  createdAt: string;
  updatedAt: string;
}
export interface SavedViewInput {
  name?: string;
  query?: string;
  columns?: string[];
}
export type SetupInput = Schemas['SetupInput'];
export type SetupResult = Schemas['SetupResult'];
