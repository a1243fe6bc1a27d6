import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../../errors.js';
import { commitFilesOnNewRef } from '../../git/checkpoint.js';
import { discardedRef } from '../../git/names.js';
import { UserFilesCopy } from '../../git/user-files.js';
import type { Phase } from '../../plan/schema.js';
import { firstFew } from '../../words.js';
import type { RunSession } from './run-session.js';

/**
 * What a phase's commands (`run` steps and checks, hooks) may reach that phasegate's own steps
 * never do: the plan file, and the files a user keeps beside the tracked ones. Taken before the
 * phase when it runs any command; the plan file goes back before the checkpoint is staged (SPEC:
 * it is never in a phase's scope), the user's files when a failed phase is reverted (git's reset
 * restores tracked files only). Whatever a command wrote there is kept on a discarded ref first.
 */
export class CommandGuard {
  private constructor(
    private readonly session: RunSession,
    private readonly phase: Phase,
    private readonly planBytes: Buffer | undefined,
    private userFiles: UserFilesCopy | undefined,
  ) {}

  /** Undefined when the phase runs no command: nothing but phasegate's steps can write then. */
  static async before(session: RunSession, phase: Phase): Promise<CommandGuard | undefined> {
    if (!runsCommands(phase, session.doc)) return undefined;
    const planPath = session.planPath;
    // An untracked plan file is never staged anyway.
    const tracked = planPath !== undefined && !session.neverStage.includes(planPath);
    const planBytes = tracked ? readBytes(path.join(session.root, planPath)) : undefined;
    const userFiles = await UserFilesCopy.take(session.git).catch((error: unknown) => {
      session.warnings.push(`could not copy your untracked and ignored files before phase '${phase.id}' (a failed phase cannot give back what its commands change there): ${errorMessage(error)}`);
      return undefined;
    });
    return new CommandGuard(session, phase, planBytes, userFiles);
  }

  /** The plan file as it was, if a command changed or removed it (a sed over every tracked file). */
  async keepPlanOut(): Promise<void> {
    if (!this.planBytes) return;
    const relative = this.session.planPath!;
    const file = path.join(this.session.root, relative);
    const now = readBytes(file);
    if (now?.equals(this.planBytes)) return;
    const keptAt = now ? await commitFilesOnNewRef(this.session.git, [relative], discardedRef(this.session.doc.name, new Date()),
      `${this.session.doc.name}: the plan file as a command of phase ${this.phase.id} left it\n\nPhasegate-Phase: ${this.phase.id}\n`) : undefined;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, this.planBytes);
    this.session.warnings.push(`a command of phase '${this.phase.id}' ${now ? 'changed' : 'removed'} the plan file ${relative}, which is never part of a phase: put back as it was${keptAt ? `; the command's version is kept at ${keptAt}` : ''}`);
  }

  /** After a failed phase's reset: the user's files a command changed or removed, given back. */
  async giveBackUserFiles(): Promise<void> {
    const copy = this.userFiles;
    if (!copy) return;
    this.userFiles = undefined;
    try {
      const { restored, keptAt } = await copy.giveBack(this.session.git, {
        ref: discardedRef(this.session.doc.name, new Date()),
        message: `${this.session.doc.name}: your files as the commands of phase ${this.phase.id} left them, before the revert gave back yours\n\nPhasegate-Phase: ${this.phase.id}\n`,
      });
      if (restored.length > 0) {
        this.session.warnings.push(`gave back ${restored.length} file(s) of yours that the commands of phase '${this.phase.id}' changed or removed (${firstFew(restored, 5)})${keptAt ? `; the commands' versions are kept at ${keptAt}` : ''}`);
      }
    } catch (error) {
      this.session.warnings.push(`could not give back your untracked and ignored files that phase '${this.phase.id}' changed: ${errorMessage(error)}`);
    } finally {
      await copy.drop();
    }
  }

  /** A phase that passed keeps what its commands did: the copies are let go. */
  async release(): Promise<void> {
    await this.userFiles?.drop();
    this.userFiles = undefined;
  }
}

/** Whether anything but phasegate's own steps may write files during the phase: a command step or check, or a hook. */
function runsCommands(phase: Phase, doc: RunSession['doc']): boolean {
  const commands = [...(phase.transform ?? []), ...(phase.validate ?? [])].some((entry) => 'run' in entry);
  return commands || Object.values(doc.hooks ?? {}).some((list) => (list ?? []).length > 0);
}

function readBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
