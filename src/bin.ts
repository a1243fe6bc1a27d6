#!/usr/bin/env node
import { main } from './main.js';

// Exit explicitly: a renderer timer or a lingering child must not keep a finished run alive.
main(process.argv.slice(2)).then((code) => process.exit(code));
