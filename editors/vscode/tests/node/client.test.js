// The extension's client logic with `vscode` and `vscode-languageclient/node` replaced by fakes:
// which command starts the server, for which documents, and that it restarts when asked.
// Run with `node --test tests/node/` (part of `npm test`).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const Module = require("module");

const ROOT = path.resolve(__dirname, "..", "..");

// ------------------------------------------------------------------ fakes

function makeFakes() {
  const state = {
    settings: { "server.path": "perfrules", "server.args": ["lsp"] },
    folders: [],
    commands: new Map(),
    configListeners: [],
    errors: [],
    executed: [],
    clients: [],
    failStart: false,
  };
  const vscode = {
    workspace: {
      get workspaceFolders() {
        return state.folders.length ? state.folders.map((p) => ({ uri: { fsPath: p } })) : undefined;
      },
      getConfiguration(section) {
        assert.equal(section, "perfrules");
        return { get: (key, fallback) => (key in state.settings ? state.settings[key] : fallback) };
      },
      onDidChangeConfiguration(listener) {
        state.configListeners.push(listener);
        return { dispose() {} };
      },
      createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
    },
    window: {
      createOutputChannel: (name) => ({ name, lines: [], appendLine(l) { this.lines.push(l); }, show() {}, dispose() {} }),
      showErrorMessage(message, ...items) {
        state.errors.push({ message, items });
        return Promise.resolve(undefined);
      },
    },
    commands: {
      registerCommand(id, callback) {
        state.commands.set(id, callback);
        return { dispose() {} };
      },
      executeCommand(...args) {
        state.executed.push(args);
        return Promise.resolve();
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, running: false, stopped: false });
      state.clients.push(this);
    }
    async start() {
      if (state.failStart) throw new Error("spawn failed");
      this.running = true;
    }
    async stop() {
      this.running = false;
      this.stopped = true;
    }
  }
  const languageclient = {
    LanguageClient,
    TransportKind: { stdio: 0, ipc: 1 },
    RevealOutputChannelOn: { Debug: 0, Info: 1, Warn: 2, Error: 3, Never: 4 },
  };
  return { state, vscode, languageclient };
}

function loadExtension(fakes) {
  const file = require.resolve(path.join(ROOT, "extension.js"));
  delete require.cache[file];
  const original = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === "vscode") return fakes.vscode;
    if (request === "vscode-languageclient/node") return fakes.languageclient;
    return original.call(this, request, parent, isMain);
  };
  try {
    return require(file);
  } finally {
    Module._load = original;
  }
}

function fakeContext() {
  return { subscriptions: [] };
}

/** A directory holding executables named `names`, put first on PATH for the test. */
function withFakeServers(t, names) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "perfrules-vscode-test-"));
  for (const name of names) {
    const file = path.join(dir, process.platform === "win32" ? `${name}.cmd` : name);
    fs.writeFileSync(file, process.platform === "win32" ? "@echo off\r\n" : "#!/bin/sh\n", { mode: 0o755 });
  }
  const saved = process.env.PATH;
  process.env.PATH = dir + path.delimiter + (saved || "");
  t.after(() => {
    process.env.PATH = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

// ------------------------------------------------------------------ tests

test("activate starts `perfrules lsp` over stdio for perfrules documents", async (t) => {
  withFakeServers(t, ["perfrules"]);
  const fakes = makeFakes();
  const extension = loadExtension(fakes);
  await extension.activate(fakeContext());
  const [client] = fakes.state.clients;
  assert.ok(client, "a client was created");
  assert.equal(client.id, "perfrules");
  assert.deepEqual(
    { command: client.serverOptions.command, args: client.serverOptions.args, transport: client.serverOptions.transport },
    { command: "perfrules", args: ["lsp"], transport: 0 },
  );
  assert.ok(client.running);
  assert.deepEqual(
    client.clientOptions.documentSelector.map((s) => s.language),
    ["perfrules", "perfrules"],
  );
  assert.ok(fakes.state.commands.has("perfrules.restartServer"));
  assert.deepEqual(fakes.state.errors, []);
  await extension.deactivate();
  assert.ok(client.stopped);
});

test("a change of perfrules.server.* restarts the server with the new command", async (t) => {
  withFakeServers(t, ["perfrules", "my-perfrules"]);
  const fakes = makeFakes();
  const extension = loadExtension(fakes);
  await extension.activate(fakeContext());
  fakes.state.settings["server.path"] = "my-perfrules";
  fakes.state.settings["server.args"] = ["lsp", "--verbose"];
  for (const listener of fakes.state.configListeners) {
    listener({ affectsConfiguration: (s) => "perfrules.server.path".startsWith(s) });
  }
  await extension.deactivate(); // queued after the restart
  const [first, second] = fakes.state.clients;
  assert.ok(first.stopped, "the old client was stopped");
  assert.equal(second.serverOptions.command, "my-perfrules");
  assert.deepEqual(second.serverOptions.args, ["lsp", "--verbose"]);
});

test("other settings do not restart the server", async (t) => {
  withFakeServers(t, ["perfrules"]);
  const fakes = makeFakes();
  const extension = loadExtension(fakes);
  await extension.activate(fakeContext());
  for (const listener of fakes.state.configListeners) listener({ affectsConfiguration: () => false });
  await settle();
  assert.equal(fakes.state.clients.length, 1);
  assert.ok(fakes.state.clients[0].running);
  await extension.deactivate();
});

test("the restart command stops the client and starts a new one", async (t) => {
  withFakeServers(t, ["perfrules"]);
  const fakes = makeFakes();
  const extension = loadExtension(fakes);
  await extension.activate(fakeContext());
  await fakes.state.commands.get("perfrules.restartServer")();
  assert.equal(fakes.state.clients.length, 2);
  assert.ok(fakes.state.clients[0].stopped);
  assert.ok(fakes.state.clients[1].running);
  await extension.deactivate();
});

test("a missing server command gives one message pointing at the setting", async (t) => {
  withFakeServers(t, []);
  const fakes = makeFakes();
  fakes.state.settings["server.path"] = "perfrules-does-not-exist";
  const extension = loadExtension(fakes);
  await extension.activate(fakeContext());
  assert.equal(fakes.state.clients.length, 0);
  assert.equal(fakes.state.errors.length, 1);
  assert.match(fakes.state.errors[0].message, /perfrules-does-not-exist/);
  assert.match(fakes.state.errors[0].message, /perfrules\.server\.path/);
  await extension.deactivate();
});

test("a server that fails to start leaves no client behind", async (t) => {
  withFakeServers(t, ["perfrules"]);
  const fakes = makeFakes();
  fakes.state.failStart = true;
  const extension = loadExtension(fakes);
  await extension.activate(fakeContext());
  assert.equal(fakes.state.clients.length, 1);
  fakes.state.failStart = false;
  await fakes.state.commands.get("perfrules.restartServer")();
  assert.equal(fakes.state.clients.length, 2);
  assert.ok(fakes.state.clients[1].running);
  await extension.deactivate();
});

test("server paths: ${workspaceFolder}, ~ and paths relative to the workspace", (t) => {
  const fakes = makeFakes();
  const folder = path.join(os.tmpdir(), "proj");
  fakes.state.folders = [folder];
  const extension = loadExtension(fakes);
  fakes.state.settings["server.path"] = "${workspaceFolder}/.venv/bin/perfrules";
  assert.equal(extension.serverCommand().command, path.join(folder, ".venv", "bin", "perfrules"));
  fakes.state.settings["server.path"] = ".venv/bin/perfrules";
  assert.equal(extension.serverCommand().command, path.join(folder, ".venv", "bin", "perfrules"));
  fakes.state.settings["server.path"] = "~/bin/perfrules";
  assert.equal(extension.serverCommand().command, path.join(os.homedir(), "bin", "perfrules"));
  fakes.state.settings["server.path"] = "";
  assert.equal(extension.serverCommand().command, "perfrules");
  delete fakes.state.settings["server.args"];
  assert.deepEqual(extension.serverCommand().args, ["lsp"]);
  assert.equal(extension.serverCommand().cwd, folder);
});
