// Every test file removes the folders `temporaryFolder` (@buildout/testing) made for it once its
// tests are done: the library's own `exit` hook never runs in a test worker that vitest ends, and
// thousands of leftover folders under /tmp slow down every later file operation on this disk.
import { afterAll } from 'vitest';
import { removeTemporaryFolders } from '@buildout/testing';

afterAll(() => removeTemporaryFolders());
