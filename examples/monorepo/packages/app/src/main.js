import { greet } from '@example/greet';

console.log(greet('buildout'));
