// SPDX-License-Identifier: AGPL-3.0-or-later
export declare const HEADER: string;
export declare function generateSchemaText(spec: object): Promise<string>;
