// Types of harness.mjs for the TypeScript tests.
export interface RunResult {
  ok: boolean;
  status?: number;
  json?: unknown;
  message?: string;
}
export const ORACLE_DIR: string;
export const CASES_DIR: string;
export const REPO_ROOT: string;
export const CLI_BIN: string;
export const ORACLE_SCRIPT: string;
export const SYSTEM_PYTHON: string;
export const CASE_ROOT: string;
export function listCases(): string[];
export function caseDir(name: string): string;
export function caseArgs(name: string): string[];
export function casePlatform(name: string): string | undefined;
export function expectedFile(name: string): string;
export function oracleUnavailableReason(): string | undefined;
export function withCaseRoot<T>(value: T, root: string): T;
export function runOracle(name: string): Promise<RunResult>;
export function runCli(name: string): Promise<RunResult>;
