// SPDX-License-Identifier: AGPL-3.0-or-later
// The schemas of the OpenAPI description (components.schemas): every request and response body.
// Responses are closed (additionalProperties: false), so a field added to a response without
// its description here fails the API tests, which validate every JSON response they receive
// against this document (tests/openapi/check_responses.py).

#include "api/openapi.hpp"

namespace cm::api {

std::string_view openapi_schemas_json() {
  // Split in pieces: one string literal may hold at most 64 KiB in some compilers.
  static constexpr const char* kPieces[] = {
      R"JSON({
 "Problem": {
  "type": "object",
  "required": [
   "type",
   "title",
   "status"
  ],
  "properties": {
   "type": {
    "type": "string",
    "description": "a stable URI reference such as /problems/validation"
   },
   "title": {
    "type": "string"
   },
   "status": {
    "type": "integer",
    "minimum": 400,
    "maximum": 599
   },
   "detail": {
    "type": "string"
   },
   "instance": {
    "type": "string"
   },
   "errors": {
    "type": "array",
    "description": "validation: one entry per field, named by its path (e.g. rules[0].stages[1].name)",
    "items": {
     "type": "object",
     "required": [
      "field",
      "message"
     ],
     "properties": {
      "field": {
       "type": "string"
      },
      "message": {
       "type": "string"
      }
     }
    }
   },
   "allowed": {
    "type": "array",
    "items": {
     "type": "string"
    },
    "description": "409 on a transition: the states the contract may move to"
   }
  },
  "description": "RFC 9457 problem details; further members may be added by some problems"
 },
 "Money": {
  "type": "object",
  "required": [
   "amount",
   "currency"
  ],
  "properties": {
   "amount": {
    "type": "string",
    "pattern": "^[0-9]+(\\.[0-9]+)?$"
   },
   "currency": {
    "type": "string",
    "pattern": "^[A-Z]{3}$"
   }
  }
 },
 "CommentInput": {
  "type": "object",
  "required": [
   "body"
  ],
  "additionalProperties": false,
  "properties": {
   "body": {
    "type": "string",
    "minLength": 1,
    "maxLength": 10000,
    "description": "@alice@example.com mentions a user of the organization"
   },
   "parentId": {
    "type": "string",
    "description": "reply to this comment (create only)"
   }
  }
 },
 "NotificationPreferences": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "mention": {
    "type": "boolean"
   },
   "comment": {
    "type": "boolean"
   },
   "approval_requested": {
    "type": "boolean"
   },
   "approval_decided": {
    "type": "boolean"
   },
   "signature": {
    "type": "boolean"
   },
   "obligation_due": {
    "type": "boolean"
   },
   "renewal": {
    "type": "boolean"
   }
  }
 },
 "TransitionInput": {
  "type": "object",
  "required": [
   "to"
  ],
  "additionalProperties": false,
  "properties": {
   "to": {
    "type": "string",
    "enum": [
     "draft",
     "in_review",
     "approved",
     "out_for_signature",
     "active",
     "expired",
     "terminated",
     "renewed",
     "cancelled"
    ]
   },
   "comment": {
    "type": "string",
    "maxLength": 2000,
    "description": "required to terminate"
   }
  }
 },
 "DecisionInput": {
  "type": "object",
  "required": [
   "decision"
  ],
  "additionalProperties": false,
  "properties": {
   "decision": {
    "type": "string",
    "enum": [
     "approve",
     "reject"
    ]
   },
   "comment": {
    "type": "string",
    "maxLength": 2000,
    "description": "required to reject"
   },
   "onBehalfOf": {
    "type": "string",
    "description": "the approver a delegate acts for"
   },
   "stage": {
    "type": "integer",
    "minimum": 0
   }
  }
 },
 "ApprovalPolicy": {
  "type": "object",
  "required": [
   "name",
   "rules",
   "default"
  ],
  "additionalProperties": false,
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 200
   },
   "rules": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/ApprovalRule"
    },
    "description": "the first rule whose conditions hold routes the contract"
   },
   "default": {
    "$ref": "#/components/schemas/ApprovalRoute"
   }
  }
 },
 "DelegationsInput": {
  "type": "object",
  "required": [
   "items"
  ],
  "additionalProperties": false,
  "properties": {
   "items": {
    "type": "array",
    "maxItems": 20,
    "items": {
     "type": "object",
     "required": [
      "delegateId",
      "from",
      "to"
     ],
     "properties": {
      "delegateId": {
       "type": "string"
      },
      "from": {
       "type": "string",
       "format": "date"
      },
      "to": {
       "type": "string",
       "format": "date"
      }
     }
    }
   }
  }
 },
 "ObligationInput": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "title",
   "dueDate"
  ],
  "properties": {
   "title": {
    "type": "string",
    "minLength": 1,
    "maxLength": 300
   },
   "description": {
    "type": "string",
    "maxLength": 10000
   },
   "kind": {
    "enum": [
     "payment",
     "delivery",
     "reporting",
     "compliance",
     "notice",
     "other"
    ]
   },
   "responsible": {
    "enum": [
     "us",
     "counterparty"
    ]
   },
   "assigneeId": {
    "type": [
     "string",
     "null"
    ]
   },
   "dueDate": {
    "type": "string",
    "format": "date"
   },
   "recurrence": {
    "type": [
     "object",
     "null"
    ],
    "required": [
     "frequency"
    ],
    "properties": {
     "frequency": {
      "enum": [
       "monthly",
       "quarterly",
       "yearly"
      ]
     },
     "until": {
      "type": [
       "string",
       "null"
      ],
      "format": "date"
     }
    }
   },
   "amount": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Money"
     },
     {
      "type": "null"
     }
    ]
   }
  }
 },
 "SignatureRequestInput": {
  "type": "object",
  "required": [
   "signers"
  ],
  "additionalProperties": false,
  "properties": {
   "signers": {
    "type": "array",
    "minItems": 1,
    "maxItems": 20,
    "items": {
     "oneOf": [
      {
       "type": "object",
       "required": [
        "userId"
       ],
       "additionalProperties": false,
       "properties": {
        "userId": {
         "type": "string"
        }
       }
      },
      {
       "type": "object",
       "required": [
        "name",
        "email"
       ],
       "additionalProperties": false,
       "properties": {
        "name": {
         "type": "string",
         "minLength": 1,
         "maxLength": 200
        },
        "email": {
         "type": "string",
         "format": "email"
        }
       }
      }
     ]
    }
   },
   "order": {
    "enum": [
     "sequential",
     "parallel"
    ],
    "default": "sequential"
   },
   "message": {
    "type": "string",
    "maxLength": 2000
   },
   "expiresInDays": {
    "type": "integer",
    "minimum": 1,
    "maximum": 90,
    "default": 14
   }
  }
 },
 "SignerAnswer": {
  "type": "object",
  "required": [
   "action"
  ],
  "additionalProperties": false,
  "properties": {
   "action": {
    "enum": [
     "sign",
     "decline"
    ]
   },
   "fullName": {
    "type": "string",
    "minLength": 2,
    "maxLength": 200,
    "description": "sign: the typed full name"
   },
   "consent": {
    "const": true,
    "description": "sign: explicit consent to sign electronically"
   },
   "documentSha256": {
    "type": "string",
    "pattern": "^[0-9a-f]{64}$",
    "description": "sign: the SHA-256 of the document shown"
   },
   "reason": {
    "type": "string",
    "minLength": 1,
    "maxLength": 2000,
    "description": "decline: why"
   }
  }
 },
 "LoginRequest": {
  "type": "object",
  "required": [
   "email",
   "password"
  ],
  "additionalProperties": false,
  "properties": {
   "email": {
    "type": "string"
   },
   "password": {
    "type": "string"
   },
   "session": {
    "type": "string",
    "enum": [
     "token",
     "cookie"
    ],
    "default": "token",
    "description": "cookie: the web app's session (the refresh token in an HttpOnly cookie)"
   }
  }
 },
 "RefreshRequest": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "refreshToken": {
    "type": "string",
    "description": "API clients; without it the cm_refresh cookie is used and X-CSRF-Token is required"
   }
  }
 },
 "LogoutRequest": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "refreshToken": {
    "type": "string",
    "description": "API clients: the session of this refresh token ends too"
   },
   "everywhere": {
    "type": "boolean",
    "default": false,
    "description": "end every session of the account on every device, this one included"
   }
  }
 },
 "PasswordChange": {
  "type": "object",
  "required": [
   "currentPassword",
   "newPassword"
  ],
  "additionalProperties": false,
  "properties": {
   "currentPassword": {
    "type": "string"
   },
   "newPassword": {
    "type": "string",
    "minLength": 12
   }
  }
 },
 "OrganizationUpdate": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "contractTypes": {
    "type": "array",
    "items": {
     "type": "string"
    }
   },
   "timeZone": {
    "type": "string",
    "description": "IANA zone, e.g. Europe/Berlin; deadlines are dates of this zone"
   },
   "renewalReminderDays": {
    "type": "array",
    "minItems": 1,
    "maxItems": 8,
    "items": {
     "type": "integer",
     "minimum": 1,
     "maximum": 730
    }
   }
  }
 },
 "RenewalTerms": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "expirationDate": {
    "type": "string",
    "format": "date"
   },
   "termMonths": {
    "type": "integer",
    "minimum": 1,
    "maximum": 120
   },
   "value": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Money"
     },
     {
      "type": "null"
     }
    ]
   },
   "autoRenew": {
    "type": "boolean"
   },
   "renewalTermMonths": {
    "type": [
     "integer",
     "null"
    ]
   },
   "noticePeriodDays": {
    "type": [
     "integer",
     "null"
    ]
   },
   "comment": {
    "type": "string"
   }
  }
 },
 "Termination": {
  "type": "object",
  "required": [
   "reason"
  ],
  "additionalProperties": false,
  "properties": {
   "reason": {
    "type": "string",
    "minLength": 1,
    "maxLength": 2000
   },
   "effectiveDate": {
    "type": "string",
    "format": "date"
   },
   "forCause": {
    "type": "boolean",
    "description": "managers and admins; the notice period does not apply"
   }
  }
 },
 "UserCreate": {
  "type": "object",
  "required": [
   "email",
   "name",
   "role",
   "password"
  ],
  "additionalProperties": false,
  "properties": {
   "email": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "role": {
    "enum": [
     "admin",
     "manager",
     "member",
     "viewer"
    ]
   },
   "password": {
    "type": "string",
    "minLength": 12
   }
  }
 },
 "UserUpdate": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "name": {
    "type": "string"
   },
   "role": {
    "enum": [
     "admin",
     "manager",
     "member",
     "viewer"
    ]
   },
   "active": {
    "type": "boolean"
   }
  }
 },
 "ApiKeyCreate": {
  "type": "object",
  "required": [
   "name",
   "role"
  ],
  "additionalProperties": false,
  "properties": {
   "name": {
    "type": "string"
   },
   "role": {
    "enum": [
     "admin",
     "manager",
     "member",
     "viewer"
    ]
   }
  }
 },
 "Counterparty": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "name",
   "kind",
   "registrationNumber",
   "country",
   "address",
   "contactName",
   "contactEmail",
   "notes",
   "version",
   "createdAt",
   "updatedAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "kind": {
    "type": "string",
    "enum": [
     "company",
     "person"
    ]
   },
   "registrationNumber": {
    "type": [
     "string",
     "null"
    ]
   },
   "country": {
    "type": [
     "string",
     "null"
    ]
   },
   "address": {
    "type": [
     "string",
     "null"
    ]
   },
   "contactName": {
    "type": [
     "string",
     "null"
    ]
   },
   "contactEmail": {
    "type": [
     "string",
     "null"
    ]
   },
   "notes": {
    "type": [
     "string",
     "null"
    ]
   },
   "version": {
    "type": "integer"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   }
  }
 },
 "ContractInput": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "title": {
    "type": "string",
    "minLength": 1,
    "maxLength": 300
   },
   "type": {
    "type": "string"
   },
   "description": {
    "type": "string"
   },
   "parties": {
    "type": "array",
    "maxItems": 50,
    "items": {
     "type": "object",
     "required": [
      "counterpartyId",
      "role"
     ],
     "properties": {
      "counterpartyId": {
       "type": "string"
      },
      "role": {
       "type": "string"
      }
     }
    }
   },
   "ownerId": {
    "type": "string"
   },
   "value": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Money"
     },
     {
      "type": "null"
     }
    ]
   },
   "effectiveDate": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "expirationDate": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "autoRenew": {
    "type": "boolean"
   },
   "legalHold": {
    "type": "boolean",
    "description": "managers and admins only; blocks document deletion"
   },
   "renewalTermMonths": {
    "type": [
     "integer",
     "null"
    ],
    "minimum": 1,
    "maximum": 120
   },
   "noticePeriodDays": {
    "type": [
     "integer",
     "null"
    ],
    "minimum": 0,
    "maximum": 3650
   },
   "tags": {
    "type": "array",
    "maxItems": 50,
    "items": {
     "type": "string",
     "maxLength": 50
    }
   },
   "customFields": {
    "type": "object",
    "additionalProperties": {
     "type": [
      "string",
      "number",
      "boolean"
     ]
    }
   },
   "parentId": {
    "type": [
     "string",
     "null"
    ]
   },
   "relation": {
    "enum": [
     "amendment",
     "sow",
     "renewal",
     "addendum",
     "order",
     null
    ]
   },
   "appliesToParent": {
    "type": "array",
    "items": {
     "enum": [
      "value",
      "expirationDate"
     ]
    },
    "description": "amendments: terms that replace the parent's when the amendment becomes active"
   }
  }
 },
 "Contract": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "title",
   "type",
   "status",
   "description",
   "parties",
   "ownerId",
   "value",
   "effectiveDate",
   "expirationDate",
   "autoRenew",
   "legalHold",
   "renewalTermMonths",
   "noticePeriodDays",
   "tags",
   "customFields",
   "version",
   "createdAt",
   "updatedAt",
   "createdBy",
   "activatedAt",
   "terminatedAt",
   "terminationReason",
   "signedAt",
   "renewalCount",
   "archived",
   "terminationEffectiveDate",
   "parentId",
   "relation",
   "appliesToParent",
   "noticeDeadline",
   "daysToExpiry",
   "allowedActions"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "title": {
    "type": "string"
   },
   "type": {
    "type": "string"
   },
   "status": {
    "type": "string",
    "enum": [
     "draft",
     "in_review",
     "approved",
     "out_for_signature",
     "active",
     "expired",
     "terminated",
     "renewed",
     "cancelled"
    ]
   },
   "description": {
    "type": "string"
   },
   "parties": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "counterpartyId",
      "role"
     ],
     "properties": {
      "counterpartyId": {
       "type": "string"
      },
      "role": {
       "type": "string"
      }
     }
    }
   },
   "ownerId": {
    "type": "string"
   },
   "value": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Money"
     },
     {
      "type": "null"
     }
    ]
   },
   "effectiveDate": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "expirationDate": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "autoRenew": {
    "type": "boolean"
   },
   "legalHold": {
    "type": "boolean"
   },
   "renewalTermMonths": {
    "type": [
     "integer",
     "null"
    ]
   },
   "noticePeriodDays": {
    "type": [
     "integer",
     "null"
    ]
   },
   "tags": {
    "type": "array",
    "items": {
     "type": "string"
    }
   },
   "customFields": {
    "type": "object",
    "additionalProperties": {
     "type": [
      "string",
      "number",
      "boolean"
     ]
    }
   },
   "version": {
    "type": "integer"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "createdBy": {
    "type": "string"
   },
   "activatedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "terminatedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "terminationReason": {
    "type": [
     "string",
     "null"
    ]
   },
   "signedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "renewalCount": {
    "type": "integer"
   },
   "archived": {
    "type": "boolean"
   },
   "terminationEffectiveDate": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "parentId": {
    "type": [
     "string",
     "null"
    ]
   },
   "relation": {
    "type": [
     "string",
     "null"
    ],
    "enum": [
     "amendment",
     "sow",
     "renewal",
     "addendum",
     "order",
     null
    ]
   },
   "appliesToParent": {
    "type": "array",
    "items": {
     "type": "string",
     "enum": [
      "value",
      "expirationDate"
     ]
    }
   },
   "noticeDeadline": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "daysToExpiry": {
    "type": [
     "integer",
     "null"
    ]
   },
   "allowedActions": {
    "type": "array",
    "description": "What the caller may do with the contract now (computed from the same rules the API enforces): show only these actions.",
    "items": {
     "type": "string",
     "enum": [
       "update",
       "delete",
       "submit",
       "returnToDraft",
       "cancel",
       "sendForSignature",
       "renew",
       "terminate",
       "archive",
       "uploadDocument",
       "addObligation",
       "comment",
       "setLegalHold"
     ]
    }
   }
  }
 },
 "ApiKey": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "name",
   "prefix",
   "role",
   "createdBy",
   "createdAt",
   "lastUsedAt",
   "revokedAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "prefix": {
    "type": "string"
   },
   "role": {
    "type": "string",
    "enum": [
     "admin",
     "manager",
     "member",
     "viewer"
    ]
   },
   "createdBy": {
    "type": "string"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "lastUsedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "revokedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "secret": {
    "type": "string",
    "description": "only in the response of the create call: store it now, it is never shown again"
   }
  }
 },
 "Approval": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "contractId",
   "ownerId",
   "policyName",
   "ruleName",
   "status",
   "currentStage",
   "createdAt",
   "completedAt",
   "voidReason",
   "stages",
   "decisions",
   "id"
  ],
  "properties": {
   "contractId": {
    "type": "string"
   },
   "ownerId": {
    "type": "string"
   },
   "policyName": {
    "type": "string"
   },
   "ruleName": {
    "type": "string"
   },
   "status": {
    "type": "string",
    "enum": [
     "pending",
     "approved",
     "rejected",
     "void"
    ]
   },
   "currentStage": {
    "type": [
     "integer",
     "null"
    ]
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "completedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "voidReason": {
    "type": [
     "string",
     "null"
    ]
   },
   "stages": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "name",
      "mode",
      "slaDays",
      "status",
      "startedOn",
      "dueOn",
      "completedOn",
      "approverIds",
      "awaiting"
     ],
     "properties": {
      "name": {
       "type": "string"
      },
      "mode": {
       "type": "string",
       "enum": [
        "any",
        "all"
       ]
      },
      "slaDays": {
       "type": "integer"
      },
      "status": {
       "type": "string",
       "enum": [
        "waiting",
        "pending",
        "approved",
        "rejected",
        "void"
       ]
      },
      "startedOn": {
       "type": [
        "string",
        "null"
       ],
       "format": "date"
      },
      "dueOn": {
       "type": [
        "string",
        "null"
       ],
       "format": "date"
      },
      "completedOn": {
       "type": [
        "string",
        "null"
       ],
       "format": "date"
      },
      "approverIds": {
       "type": "array",
       "items": {
        "type": "string"
       }
      },
      "awaiting": {
       "type": "array",
       "items": {
        "type": "string"
       }
      }
     }
    }
   },
   "decisions": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "stage",
      "approverId",
      "actorId",
      "decision",
      "comment",
      "at"
     ],
     "properties": {
      "stage": {
       "type": "integer"
      },
      "approverId": {
       "type": "string"
      },
      "actorId": {
       "type": "string"
      },
      "decision": {
       "type": "string",
       "enum": [
        "approve",
        "reject"
       ]
      },
      "comment": {
       "type": "string"
      },
      "at": {
       "type": "string",
       "format": "date-time"
      }
     }
    }
   },
   "id": {
    "type": "string"
   },
   "contractTitle": {
    "type": "string",
    "description": "in the approvals inbox only"
   }
  }
 },
 "ApprovalPolicyView": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "name",
   "rules",
   "default",
   "isDefault",
   "version",
   "updatedBy",
   "updatedAt"
  ],
  "properties": {
   "name": {
    "type": "string"
   },
   "rules": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/ApprovalRule"
    }
   },
   "default": {
    "$ref": "#/components/schemas/ApprovalRoute"
   },
   "isDefault": {
    "type": "boolean"
   },
   "version": {
    "type": "integer"
   },
   "updatedBy": {
    "type": [
     "string",
     "null"
    ]
   },
   "updatedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   }
  }
 },
 "AuditEvent": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "orgId",
   "seq",
   "actorId",
   "actorType",
   "action",
   "entityType",
   "entityId",
   "at",
   "changes",
   "requestId",
   "ip",
   "prevHash",
   "hash"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "orgId": {
    "type": "string"
   },
   "seq": {
    "type": "integer"
   },
   "actorId": {
    "type": "string"
   },
   "actorType": {
    "type": "string",
    "enum": [
     "user",
     "api_key",
     "signer",
     "system"
    ]
   },
   "action": {
    "type": "string"
   },
   "entityType": {
    "type": "string"
   },
   "entityId": {
    "type": "string"
   },
   "at": {
    "type": "string",
    "format": "date-time"
   },
   "changes": {
    "type": [
     "object",
     "null"
    ],
    "description": "what changed ({field: {from, to}} for updates) or the facts of the event"
   },
   "requestId": {
    "type": "string"
   },
   "ip": {
    "type": "string"
   },
   "prevHash": {
    "type": "string"
   },
   "hash": {
    "type": "string"
   }
  }
 },
 "TokenPair": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "accessToken",
   "tokenType",
   "expiresIn"
  ],
  "properties": {
   "accessToken": {
    "type": "string"
   },
   "refreshToken": {
    "type": "string",
    "description": "absent for cookie sessions (then in the cm_refresh cookie)"
   },
   "tokenType": {
    "type": "string",
    "enum": [
     "Bearer"
    ]
   },
   "expiresIn": {
    "type": "integer"
   },
   "csrfToken": {
    "type": "string",
    "description": "cookie sessions only: send it as X-CSRF-Token to refresh and log out"
   }
  }
 },
 "Comment": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "contractId",
   "parentId",
   "authorId",
   "body",
   "mentions",
   "createdAt",
   "updatedAt",
   "edited",
   "deleted"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "contractId": {
    "type": "string"
   },
   "parentId": {
    "type": [
     "string",
     "null"
    ]
   },
   "authorId": {
    "type": "string"
   },
   "body": {
    "type": "string"
   },
   "mentions": {
    "type": "array",
    "items": {
     "type": "string"
    }
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "edited": {
    "type": "boolean"
   },
   "deleted": {
    "type": "boolean"
   }
  }
 },
 "Document": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "contractId",
   "name",
   "kind",
   "latestVersion",
   "createdBy",
   "createdAt",
   "updatedAt",
   "latest"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "contractId": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "kind": {
    "type": "string",
    "enum": [
     "main",
     "attachment",
     "signed_copy",
     "exhibit"
    ]
   },
   "latestVersion": {
    "type": "integer"
   },
   "createdBy": {
    "type": "string"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "latest": {
    "$ref": "#/components/schemas/DocumentVersion"
   },
   "versions": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/DocumentVersion"
    },
    "description": "only when one document is read"
   }
  }
 },
 "Comparison": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "precision",
   "summary",
   "changes",
   "documentId",
   "from",
   "to"
  ],
  "properties": {
   "precision": {
    "type": "string",
    "enum": [
     "word",
     "line",
     "block"
    ]
   },
   "summary": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "insertedWords",
     "deletedWords",
     "unchangedWords"
    ],
    "properties": {
     "insertedWords": {
      "type": "integer"
     },
     "deletedWords": {
      "type": "integer"
     },
     "unchangedWords": {
      "type": "integer"
     }
    }
   },
   "changes": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "op",
      "text",
      "oldOffset",
      "oldLength",
      "newOffset",
      "newLength"
     ],
     "properties": {
      "op": {
       "type": "string",
       "enum": [
        "equal",
        "insert",
        "delete"
       ]
      },
      "text": {
       "type": "string"
      },
      "oldOffset": {
       "type": "integer"
      },
      "oldLength": {
       "type": "integer"
      },
      "newOffset": {
       "type": "integer"
      },
      "newLength": {
       "type": "integer"
      }
     }
    }
   },
   "documentId": {
    "type": "string"
   },
   "from": {
    "type": "integer"
   },
   "to": {
    "type": "integer"
   }
  }
 },
 "Obligation": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "contractId",
   "title",
   "description",
   "kind",
   "responsible",
   "assigneeId",
   "dueDate",
   "recurrence",
   "amount",
   "status",
   "overdue",
   "completedAt",
   "completedBy",
   "previousId",
   "version",
   "createdAt",
   "updatedAt",
   "createdBy"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "contractId": {
    "type": "string"
   },
   "title": {
    "type": "string"
   },
   "description": {
    "type": "string"
   },
   "kind": {
    "type": "string",
    "enum": [
     "payment",
     "delivery",
     "reporting",
     "compliance",
     "notice",
     "other"
    ]
   },
   "responsible": {
    "type": "string",
    "enum": [
     "us",
     "counterparty"
    ]
   },
   "assigneeId": {
    "type": [
     "string",
     "null"
    ]
   },
   "dueDate": {
    "type": "string",
    "format": "date"
   },
   "recurrence": {
    "type": [
     "object",
     "null"
    ],
    "additionalProperties": false,
    "required": [
     "frequency"
    ],
    "properties": {
     "frequency": {
      "type": "string",
      "enum": [
       "monthly",
       "quarterly",
       "yearly"
      ]
     },
     "until": {
      "type": [
       "string",
       "null"
      ],
      "format": "date"
     }
    }
   },
   "amount": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Money"
     },
     {
      "type": "null"
     }
    ]
   },
   "status": {
    "type": "string",
    "enum": [
     "open",
     "done",
     "waived"
    ]
   },
   "overdue": {
    "type": "boolean"
   },
   "completedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "completedBy": {
    "type": [
     "string",
     "null"
    ]
   },
   "previousId": {
    "type": [
     "string",
     "null"
    ]
   },
   "version": {
    "type": "integer"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "createdBy": {
    "type": "string"
   },
   "next": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Obligation"
     },
     {
      "type": "null"
     }
    ],
    "description": "complete only: the next occurrence of a recurring obligation"
   }
  }
 },
 "SignatureRequest": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "contractId",
   "status",
   "order",
   "message",
   "requestedBy",
   "document",
   "expiresAt",
   "createdAt",
   "updatedAt",
   "completedAt",
   "endedAt",
   "endReason",
   "certificate",
   "signers"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "contractId": {
    "type": "string"
   },
   "status": {
    "type": "string",
    "enum": [
     "pending",
     "completed",
     "declined",
     "cancelled",
     "voided",
     "expired"
    ]
   },
   "order": {
    "type": "string",
    "enum": [
     "sequential",
     "parallel"
    ]
   },
   "message": {
)JSON",
      R"JSON(    "type": [
     "string",
     "null"
    ]
   },
   "requestedBy": {
    "type": "string"
   },
   "document": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "id",
     "version",
     "name",
     "size",
     "sha256"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "version": {
      "type": "integer"
     },
     "name": {
      "type": "string"
     },
     "size": {
      "type": "integer"
     },
     "sha256": {
      "type": "string"
     }
    }
   },
   "expiresAt": {
    "type": "string",
    "format": "date-time"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "completedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "endedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "endReason": {
    "type": [
     "string",
     "null"
    ]
   },
   "certificate": {
    "type": [
     "object",
     "null"
    ],
    "additionalProperties": false,
    "required": [
     "jsonDocumentId",
     "pdfDocumentId"
    ],
    "properties": {
     "jsonDocumentId": {
      "type": "string"
     },
     "pdfDocumentId": {
      "type": "string"
     }
    }
   },
   "signers": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/Signer"
    }
   }
  }
 },
 "User": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "orgId",
   "email",
   "name",
   "role",
   "active",
   "version",
   "createdAt",
   "updatedAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "orgId": {
    "type": "string"
   },
   "email": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "role": {
    "type": "string",
    "enum": [
     "admin",
     "manager",
     "member",
     "viewer"
    ]
   },
   "active": {
    "type": "boolean"
   },
   "version": {
    "type": "integer"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   }
  }
 },
 "Me": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "orgId",
   "email",
   "name",
   "role",
   "active",
   "version",
   "createdAt",
   "updatedAt",
   "organization",
   "actorType"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "orgId": {
    "type": "string"
   },
   "email": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "role": {
    "type": "string",
    "enum": [
     "admin",
     "manager",
     "member",
     "viewer"
    ]
   },
   "active": {
    "type": "boolean"
   },
   "version": {
    "type": "integer"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "organization": {
    "$ref": "#/components/schemas/Organization"
   },
   "actorType": {
    "type": "string",
    "enum": [
     "user",
     "api_key"
    ]
   }
  }
 },
 "Delegations": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "items"
  ],
  "properties": {
   "items": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "userId",
      "delegateId",
      "from",
      "to"
     ],
     "properties": {
      "userId": {
       "type": "string"
      },
      "delegateId": {
       "type": "string"
      },
      "from": {
       "type": "string",
       "format": "date"
      },
      "to": {
       "type": "string",
       "format": "date"
      }
     }
    }
   }
  }
 },
 "Notification": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "kind",
   "title",
   "entityType",
   "entityId",
   "data",
   "createdAt",
   "readAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "kind": {
    "type": "string",
    "enum": [
     "mention",
     "comment",
     "approval_requested",
     "approval_decided",
     "signature",
     "obligation_due",
     "renewal"
    ]
   },
   "title": {
    "type": "string"
   },
   "entityType": {
    "type": "string"
   },
   "entityId": {
    "type": "string"
   },
   "data": {
    "type": "object",
    "description": "facts of the notification by kind (e.g. contractId, commentId)"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "readAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   }
  }
 },
 "NotificationPreferencesView": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "mention",
   "comment",
   "approval_requested",
   "approval_decided",
   "signature",
   "obligation_due",
   "renewal"
  ],
  "properties": {
   "mention": {
    "type": "boolean"
   },
   "comment": {
    "type": "boolean"
   },
   "approval_requested": {
    "type": "boolean"
   },
   "approval_decided": {
    "type": "boolean"
   },
   "signature": {
    "type": "boolean"
   },
   "obligation_due": {
    "type": "boolean"
   },
   "renewal": {
    "type": "boolean"
   }
  }
 },
 "ReadAllResult": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "marked"
  ],
  "properties": {
   "marked": {
    "type": "integer"
   }
  }
 },
 "UnreadCount": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "count"
  ],
  "properties": {
   "count": {
    "type": "integer"
   }
  }
 },
 "Organization": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "name",
   "contractTypes",
   "timeZone",
   "renewalReminderDays",
   "createdAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "contractTypes": {
    "type": "array",
    "items": {
     "type": "string"
    }
   },
   "timeZone": {
    "type": "string"
   },
   "renewalReminderDays": {
    "type": "array",
    "items": {
     "type": "integer"
    }
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   }
  }
 },
 "Renewal": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "contractId",
   "title",
   "type",
   "status",
   "ownerId",
   "value",
   "autoRenew",
   "expirationDate",
   "noticeDeadline",
   "daysToExpiry",
   "daysToNoticeDeadline",
   "nextDate",
   "nextEvent",
   "terminationEffectiveDate"
  ],
  "properties": {
   "contractId": {
    "type": "string"
   },
   "title": {
    "type": "string"
   },
   "type": {
    "type": "string"
   },
   "status": {
    "type": "string",
    "enum": [
     "draft",
     "in_review",
     "approved",
     "out_for_signature",
     "active",
     "expired",
     "terminated",
     "renewed",
     "cancelled"
    ]
   },
   "ownerId": {
    "type": "string"
   },
   "value": {
    "oneOf": [
     {
      "$ref": "#/components/schemas/Money"
     },
     {
      "type": "null"
     }
    ]
   },
   "autoRenew": {
    "type": "boolean"
   },
   "expirationDate": {
    "type": "string",
    "format": "date"
   },
   "noticeDeadline": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   },
   "daysToExpiry": {
    "type": [
     "integer",
     "null"
    ]
   },
   "daysToNoticeDeadline": {
    "type": [
     "integer",
     "null"
    ]
   },
   "nextDate": {
    "type": "string",
    "format": "date"
   },
   "nextEvent": {
    "type": "string",
    "enum": [
     "notice_deadline",
     "expiration"
    ]
   },
   "terminationEffectiveDate": {
    "type": [
     "string",
     "null"
    ],
    "format": "date"
   }
  }
 },
 "SummaryReport": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "asOf",
   "generatedAt",
   "contracts",
   "activeValue",
   "inForceWithoutValue",
   "expiring",
   "overdueObligations",
   "cycleTime",
   "approvalsWaiting"
  ],
  "properties": {
   "asOf": {
    "type": "string",
    "format": "date"
   },
   "generatedAt": {
    "type": "string",
    "format": "date-time"
   },
   "contracts": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "total",
     "archived",
     "byStatus",
     "byType"
    ],
    "properties": {
     "total": {
      "type": "integer"
     },
     "archived": {
      "type": "integer"
     },
     "byStatus": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "draft",
       "in_review",
       "approved",
       "out_for_signature",
       "active",
       "expired",
       "terminated",
       "renewed",
       "cancelled"
      ],
      "properties": {
       "draft": {
        "type": "integer"
       },
       "in_review": {
        "type": "integer"
       },
       "approved": {
        "type": "integer"
       },
       "out_for_signature": {
        "type": "integer"
       },
       "active": {
        "type": "integer"
       },
       "expired": {
        "type": "integer"
       },
       "terminated": {
        "type": "integer"
       },
       "renewed": {
        "type": "integer"
       },
       "cancelled": {
        "type": "integer"
       }
      }
     },
     "byType": {
      "type": "object",
      "additionalProperties": {
       "type": "integer"
      }
     }
    }
   },
   "activeValue": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "amount",
      "currency",
      "contracts"
     ],
     "properties": {
      "amount": {
       "type": "string"
      },
      "currency": {
       "type": "string"
      },
      "contracts": {
       "type": "integer"
      }
     }
    }
   },
   "inForceWithoutValue": {
    "type": "integer"
   },
   "expiring": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "withinDays",
      "until",
      "contracts"
     ],
     "properties": {
      "withinDays": {
       "type": "integer"
      },
      "until": {
       "type": "string",
       "format": "date"
      },
      "contracts": {
       "type": "integer"
      }
     }
    }
   },
   "overdueObligations": {
    "type": "integer"
   },
   "cycleTime": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "windowDays",
     "contracts",
     "medianDays"
    ],
    "properties": {
     "windowDays": {
      "type": "integer"
     },
     "contracts": {
      "type": "integer"
     },
     "medianDays": {
      "type": [
       "string",
       "null"
      ],
      "description": "days from creation to activation, one decimal (e.g. \"12.5\")"
     }
    }
   },
   "approvalsWaiting": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "userId",
      "name",
      "email",
      "approvals"
     ],
     "properties": {
      "userId": {
       "type": "string"
      },
      "name": {
       "type": "string"
      },
      "email": {
       "type": "string"
      },
      "approvals": {
       "type": "integer"
      }
     }
    }
   }
  }
 },
 "History": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "items"
  ],
  "properties": {
   "items": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "id",
      "from",
      "to",
      "actorId",
      "system",
      "comment",
      "at"
     ],
     "properties": {
      "id": {
       "type": "string"
      },
      "from": {
       "type": "string",
       "enum": [
        "draft",
        "in_review",
        "approved",
        "out_for_signature",
        "active",
        "expired",
        "terminated",
        "renewed",
        "cancelled"
       ]
      },
      "to": {
       "type": "string",
       "enum": [
        "draft",
        "in_review",
        "approved",
        "out_for_signature",
        "active",
        "expired",
        "terminated",
        "renewed",
        "cancelled"
       ]
      },
      "actorId": {
       "type": [
        "string",
        "null"
       ]
      },
      "system": {
       "type": "boolean"
      },
      "comment": {
       "type": [
        "string",
        "null"
       ]
      },
      "at": {
       "type": "string",
       "format": "date-time"
      }
     }
    }
   }
  }
 },
 "Related": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "rootId",
   "contracts",
   "truncated"
  ],
  "properties": {
   "rootId": {
    "type": "string"
   },
   "contracts": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "id",
      "title",
      "type",
      "status",
      "parentId",
      "relation",
      "depth",
      "value",
      "expirationDate",
      "isCurrent"
     ],
     "properties": {
      "id": {
       "type": "string"
      },
      "title": {
       "type": "string"
      },
      "type": {
       "type": "string"
      },
      "status": {
       "type": "string",
       "enum": [
        "draft",
        "in_review",
        "approved",
        "out_for_signature",
        "active",
        "expired",
        "terminated",
        "renewed",
        "cancelled"
       ]
      },
      "parentId": {
       "type": [
        "string",
        "null"
       ]
      },
      "relation": {
       "type": [
        "string",
        "null"
       ],
       "enum": [
        "amendment",
        "sow",
        "renewal",
        "addendum",
        "order",
        null
       ]
      },
      "depth": {
       "type": "integer"
      },
      "value": {
       "oneOf": [
        {
         "$ref": "#/components/schemas/Money"
        },
        {
         "type": "null"
        }
       ]
      },
      "expirationDate": {
       "type": [
        "string",
        "null"
       ],
       "format": "date"
      },
      "isCurrent": {
       "type": "boolean"
      }
     }
    }
   },
   "truncated": {
    "type": "boolean"
   }
  }
 },
 "Watchers": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "items"
  ],
  "properties": {
   "items": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "userId",
      "reason"
     ],
     "properties": {
      "userId": {
       "type": "string"
      },
      "reason": {
       "type": "string",
       "enum": [
        "owner",
        "following"
       ]
      }
     }
    }
   }
  }
 },
 "Health": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "status"
  ],
  "properties": {
   "status": {
    "type": "string",
    "enum": [
     "ok"
    ]
   }
  }
 },
 "Readiness": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "status"
  ],
  "properties": {
   "status": {
    "type": "string",
    "enum": [
     "ready",
     "not ready"
    ]
   },
   "reason": {
    "type": "string"
   }
  }
 },
 "SigningView": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "contract",
   "requestedBy",
   "message",
   "signer",
   "document",
   "order",
   "expiresAt",
   "signers",
   "actions"
  ],
  "properties": {
   "contract": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "title",
     "parties"
    ],
    "properties": {
     "title": {
      "type": "string"
     },
     "parties": {
      "type": "array",
      "items": {
       "type": "object",
       "additionalProperties": false,
       "required": [
        "name",
        "role"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "role": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "requestedBy": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "name"
    ],
    "properties": {
     "name": {
      "type": "string"
     }
    }
   },
   "message": {
    "type": [
     "string",
     "null"
    ]
   },
   "signer": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "name",
     "email"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "email": {
      "type": "string"
     }
    }
   },
   "document": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "name",
     "version",
     "size",
     "sha256",
     "contentType",
     "url"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "version": {
      "type": "integer"
     },
     "size": {
      "type": "integer"
     },
     "sha256": {
      "type": "string"
     },
     "contentType": {
      "type": "string"
     },
     "url": {
      "type": "string"
     }
    }
   },
   "order": {
    "type": "string",
    "enum": [
     "sequential",
     "parallel"
    ]
   },
   "expiresAt": {
    "type": "string",
    "format": "date-time"
   },
   "signers": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "position",
      "name",
      "status"
     ],
     "properties": {
      "position": {
       "type": "integer"
      },
      "name": {
       "type": "string"
      },
      "status": {
       "type": "string",
       "enum": [
        "pending",
        "signed",
        "declined"
       ]
      }
     }
    }
   },
   "actions": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "sign",
     "decline"
    ],
    "properties": {
     "sign": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "method",
       "url",
       "body"
      ],
      "properties": {
       "method": {
        "type": "string"
       },
       "url": {
        "type": "string"
       },
       "body": {
        "type": "object",
        "additionalProperties": false,
        "required": [
         "action",
         "fullName",
         "consent",
         "documentSha256"
        ],
        "properties": {
         "action": {
          "type": "string"
         },
         "fullName": {
          "type": "string"
         },
         "consent": {
          "type": "boolean"
         },
         "documentSha256": {
          "type": "string"
         }
        }
       }
      }
     },
     "decline": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "method",
       "url",
       "body"
      ],
      "properties": {
       "method": {
        "type": "string"
       },
       "url": {
        "type": "string"
       },
       "body": {
        "type": "object",
        "additionalProperties": false,
        "required": [
         "action",
         "reason"
        ],
        "properties": {
         "action": {
          "type": "string"
         },
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  }
 },
 "SigningResult": {
  "type": "object",
  "required": [
   "status",
   "requestStatus",
   "contractStatus"
  ],
  "additionalProperties": false,
  "properties": {
   "status": {
    "type": "string",
    "enum": [
     "signed",
     "declined"
    ]
   },
   "signedAt": {
    "type": "string",
    "format": "date-time"
   },
   "declinedAt": {
    "type": "string",
    "format": "date-time"
   },
   "documentSha256": {
    "type": "string"
   },
   "reason": {
    "type": "string"
   },
   "requestStatus": {
    "type": "string",
    "enum": [
     "pending",
     "completed",
     "declined",
     "cancelled",
     "voided"
    ]
   },
   "contractStatus": {
    "type": "string",
    "enum": [
     "draft",
     "in_review",
     "approved",
     "out_for_signature",
     "active",
     "expired",
     "terminated",
     "renewed",
     "cancelled"
    ]
   }
  }
 },
 "ApprovalStage": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "name",
   "approvers",
   "mode",
   "slaDays"
  ],
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 200
   },
   "approvers": {
    "type": "object",
    "additionalProperties": false,
    "minProperties": 1,
    "properties": {
     "userIds": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "roles": {
      "type": "array",
      "items": {
       "type": "string",
       "enum": [
        "admin",
        "manager",
        "member",
        "viewer"
       ]
      }
     }
    },
    "description": "userIds, roles or both"
   },
   "mode": {
    "type": "string",
    "enum": [
     "any",
     "all"
    ]
   },
   "slaDays": {
    "type": "integer",
    "minimum": 0
   }
  }
 },
 "ApprovalConditions": {
  "type": "object",
  "additionalProperties": false,
  "properties": {
   "types": {
    "type": "array",
    "items": {
     "type": "string"
    }
   },
   "values": {
    "type": "array",
    "items": {
     "type": "object",
     "additionalProperties": false,
     "required": [
      "currency"
     ],
     "properties": {
      "currency": {
       "type": "string",
       "pattern": "^[A-Z]{3}$"
      },
      "min": {
       "type": "string",
       "pattern": "^[0-9]+(\\.[0-9]+)?$"
      },
      "max": {
       "type": "string",
       "pattern": "^[0-9]+(\\.[0-9]+)?$"
      }
     },
     "description": "min, max or both"
    }
   },
   "countries": {
    "type": "array",
    "items": {
     "type": "string",
     "pattern": "^[A-Z]{2}$"
    }
   },
   "tags": {
    "type": "array",
    "items": {
     "type": "string"
    }
   }
  },
  "description": "every listed condition must hold; an empty list is no condition"
 },
 "ApprovalRule": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "name",
   "stages"
  ],
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 200
   },
   "when": {
    "$ref": "#/components/schemas/ApprovalConditions"
   },
   "stages": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/ApprovalStage"
    },
    "description": "empty: contracts this rule routes need no approval"
   }
  }
 },
 "ApprovalRoute": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "name",
   "stages"
  ],
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 200
   },
   "stages": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/ApprovalStage"
    }
   }
  }
 },
 "DocumentVersion": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "version",
   "filename",
   "size",
   "sha256",
   "contentType",
   "encrypted",
   "uploadedBy",
   "uploadedAt",
   "extraction",
   "contentUrl"
  ],
  "properties": {
   "version": {
    "type": "integer"
   },
   "filename": {
    "type": "string"
   },
   "size": {
    "type": "integer"
   },
   "sha256": {
    "type": "string"
   },
   "contentType": {
    "type": "string"
   },
   "encrypted": {
    "type": "boolean"
   },
   "uploadedBy": {
    "type": "string"
   },
   "uploadedAt": {
    "type": "string",
    "format": "date-time"
   },
   "extraction": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "status"
    ],
    "properties": {
     "status": {
      "type": "string",
      "enum": [
       "pending",
       "done",
       "failed",
       "unsupported"
      ]
     },
     "charCount": {
      "type": "integer"
     },
     "pageCount": {
      "type": "integer"
     },
     "error": {
      "type": "string"
     }
    }
   },
   "contentUrl": {
    "type": "string"
   }
  }
 },
 "Signer": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "position",
   "userId",
   "name",
   "email",
   "status",
   "signedAt",
   "typedName",
   "documentSha256",
   "via",
   "declinedAt",
   "declineReason",
   "linkIssuedAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "position": {
    "type": "integer"
   },
   "userId": {
    "type": [
     "string",
     "null"
    ]
   },
   "name": {
    "type": "string"
   },
   "email": {
    "type": "string"
   },
   "status": {
    "type": "string",
    "enum": [
     "pending",
     "signed",
     "declined"
    ]
   },
   "signedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "typedName": {
    "type": [
     "string",
     "null"
    ]
   },
   "documentSha256": {
    "type": [
     "string",
     "null"
    ]
   },
   "via": {
    "type": [
     "string",
     "null"
    ],
    "enum": [
     "link",
     "session",
     null
    ]
   },
   "declinedAt": {
    "type": [
     "string",
     "null"
    ],
    "format": "date-time"
   },
   "declineReason": {
    "type": [
     "string",
     "null"
    ]
   },
   "linkIssuedAt": {
    "type": "string",
    "format": "date-time"
   },
   "yourTurn": {
    "type": "boolean",
    "description": "whether the caller may sign now (absent in the reissue response)"
   },
   "signUrl": {
    "type": "string",
    "description": "external signers, in the create and reissue responses only: the link, shown once"
   }
  }
 },
 "RenewalList": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "items",
   "nextCursor",
   "today",
   "within"
  ],
  "properties": {
   "items": {
    "type": "array",
    "items": {
     "$ref": "#/components/schemas/Renewal"
    }
   },
   "nextCursor": {
    "type": [
     "string",
     "null"
    ]
   },
   "today": {
    "type": "string",
    "format": "date",
    "description": "the organization's date"
   },
   "within": {
    "type": "integer"
   }
  }
 },
 "SetupInput": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "token",
   "organization",
   "admin"
  ],
  "properties": {
   "token": {
    "type": "string",
    "description": "the token of the setup URL that serve prints while there is no user"
   },
   "organization": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "name"
    ],
    "properties": {
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "timeZone": {
      "type": "string",
      "description": "IANA zone (default UTC)"
     }
    }
   },
   "admin": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "email",
     "name",
     "password"
    ],
    "properties": {
     "email": {
      "type": "string"
     },
     "name": {
      "type": "string",
      "minLength": 1,
      "maxLength": 200
     },
     "password": {
      "type": "string",
      "minLength": 12
     }
    }
   }
  }
 },
 "SetupResult": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "organization",
   "user"
  ],
  "properties": {
   "organization": {
    "$ref": "#/components/schemas/Organization"
   },
   "user": {
    "$ref": "#/components/schemas/User"
   }
  }
 },
 "View": {
  "type": "object",
  "additionalProperties": false,
  "required": [
   "id",
   "name",
   "query",
   "columns",
   "version",
   "createdAt",
   "updatedAt"
  ],
  "properties": {
   "id": {
    "type": "string"
   },
   "name": {
    "type": "string"
   },
   "query": {
    "type": "string",
    "description": "the contracts list's query string without '?', e.g. status=active&sort=-expirationDate"
   },
   "columns": {
    "type": "array",
    "items": {
     "type": "string"
    }
   },
   "version": {
    "type": "integer"
   },
   "createdAt": {
    "type": "string",
    "format": "date-time"
   },
   "updatedAt": {
    "type": "string",
    "format": "date-time"
   }
  }
 },
 "ViewInput": {
  "type": "object",
  "additionalProperties": false,
  "description": "name and query are required to create; any of the fields to update",
  "properties": {
   "name": {
    "type": "string",
    "minLength": 1,
    "maxLength": 100
   },
   "query": {
    "type": "string",
    "maxLength": 2000,
    "description": "filters the contracts list accepts (no cursor)"
   },
   "columns": {
    "type": "array",
    "maxItems": 50,
    "items": {
     "type": "string"
    }
   }
  }
 }
}
)JSON",
  };
  static const std::string kText = [] {
    std::string all;
    for (const char* piece : kPieces) all += piece;
    return all;
  }();
  return kText;
}

}  // namespace cm::api
