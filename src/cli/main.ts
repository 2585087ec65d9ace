#!/usr/bin/env node
console.log("swerl");
