#!/usr/bin/env node
// Runs the plugin's commands without an installed sf: ./plugin/bin/run.js cpq price --scenario FILE
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
