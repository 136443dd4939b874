// VS Code client for the perfrules language server (`perfrules lsp`, JSON-RPC over stdio).
// Plain JavaScript, no build step: VS Code loads this file as the extension's `main`.
"use strict";

const fs = require("fs");
const path = require("path");
const os = require("os");
const vscode = require("vscode");
const { LanguageClient, TransportKind, RevealOutputChannelOn } = require("vscode-languageclient/node");

const CLIENT_ID = "perfrules"; // also the prefix of the `perfrules.trace.server` setting
const CLIENT_NAME = "perfrules";

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let outputChannel;
/** Serialises start/stop/restart so that quick successive restarts do not overlap. */
let pending = Promise.resolve();

/**
 * The command and arguments that start the server, from the settings:
 * `perfrules.server.path` (default `perfrules`) and `perfrules.server.args` (default `["lsp"]`).
 * `${workspaceFolder}`, `${userHome}` and a leading `~` are expanded; a relative path that
 * contains a slash is taken relative to the first workspace folder.
 */
function serverCommand() {
  const config = vscode.workspace.getConfiguration("perfrules");
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const folderPath = folder ? folder.uri.fsPath : undefined;
  const expand = (value) => {
    let result = String(value);
    if (folderPath) result = result.split("${workspaceFolder}").join(folderPath);
    result = result.split("${userHome}").join(os.homedir());
    if (result === "~" || result.startsWith("~/") || result.startsWith("~\\")) {
      result = path.join(os.homedir(), result.slice(1));
    }
    return result;
  };
  let command = expand(config.get("server.path") || "perfrules").trim() || "perfrules";
  if (!path.isAbsolute(command) && /[\\/]/.test(command) && folderPath) {
    command = path.resolve(folderPath, command);
  }
  const args = config.get("server.args");
  return {
    command,
    args: Array.isArray(args) ? args.map(expand) : ["lsp"],
    cwd: folderPath,
  };
}

function createClient() {
  const { command, args, cwd } = serverCommand();
  /** @type {import("vscode-languageclient/node").Executable} */
  const executable = {
    command,
    args,
    transport: TransportKind.stdio,
    options: cwd ? { cwd } : undefined,
  };
  /** @type {import("vscode-languageclient/node").LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "perfrules" },
      { scheme: "untitled", language: "perfrules" },
    ],
    synchronize: {
      // Settings and data files the server may read besides the open documents.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.perf,perfrules.toml,pyproject.toml}"),
    },
    outputChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, executable, clientOptions);
}

/**
 * Whether `command` can be run: an existing file when it is a path, else a file on PATH
 * (with the PATHEXT extensions on Windows). Checked first so that a missing server gives one
 * helpful message instead of the client's generic "couldn't create connection".
 */
function findExecutable(command, env = process.env) {
  const exists = (file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const extensions =
    process.platform === "win32" ? ["", ...(env.PATHEXT || ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean)] : [""];
  if (path.isAbsolute(command) || /[\\/]/.test(command)) {
    return extensions.some((ext) => exists(command + ext));
  }
  const dirs = (env.PATH || env.Path || "").split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => extensions.some((ext) => exists(path.join(dir, command + ext))));
}

async function startClient() {
  const { command, args } = serverCommand();
  if (!findExecutable(command)) {
    const message =
      `找不到 perfrules 语言服务器命令「${command}」。请安装 perfrules（使 perfrules 命令在 PATH 中），` +
      `或在设置 perfrules.server.path 中指定可执行文件的路径。` +
      ` / The perfrules language server command "${command}" was not found: install perfrules or set perfrules.server.path.`;
    if (outputChannel) outputChannel.appendLine(`[perfrules] ${[command, ...args].join(" ")}: command not found`);
    const openSettings = "打开设置 / Open Settings";
    vscode.window.showErrorMessage(message, openSettings).then((choice) => {
      if (choice === openSettings) {
        vscode.commands.executeCommand("workbench.action.openSettings", "perfrules.server");
      }
    });
    return;
  }
  const next = createClient();
  client = next;
  try {
    await next.start();
  } catch (error) {
    // The client has already reported the failure (notification and output channel).
    if (client === next) client = undefined;
    if (outputChannel) outputChannel.appendLine(`[perfrules] ${[command, ...args].join(" ")}: ${errorText(error)}`);
  }
}

async function stopClient() {
  const current = client;
  client = undefined;
  if (current) {
    try {
      await current.stop();
    } catch (error) {
      if (outputChannel) outputChannel.appendLine(`stopping the server failed: ${errorText(error)}`);
    }
  }
}

function errorText(error) {
  return error && error.message ? error.message : String(error);
}

function enqueue(task) {
  pending = pending.then(task, task);
  return pending;
}

function restart() {
  return enqueue(async () => {
    await stopClient();
    await startClient();
  });
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  outputChannel = vscode.window.createOutputChannel("perfrules");
  context.subscriptions.push(outputChannel);
  context.subscriptions.push(vscode.commands.registerCommand("perfrules.restartServer", () => restart()));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("perfrules.server")) restart();
    }),
  );
  return enqueue(startClient);
}

function deactivate() {
  return enqueue(stopClient);
}

module.exports = { activate, deactivate, serverCommand, findExecutable };
