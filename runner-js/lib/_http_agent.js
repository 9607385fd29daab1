// lib/_http_agent.js: Node's legacy module for the HTTP Agent (the `http` module's own).
import { lazyBuiltinModule } from '../js/49_lazy.js';

const http = lazyBuiltinModule('http');

export const moduleExports = { Agent: http.Agent, globalAgent: http.globalAgent };
