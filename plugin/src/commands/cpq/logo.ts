import { readFile } from 'node:fs/promises';
import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { cliError } from '../../cli/errors.js';
import { openCommandStore, storeFlags } from '../../cli/store.js';
import { AccountLogoService, type LogoInfo } from '../../services/logos.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@channel-cpq/plugin-cpq', 'cpq.logo');

export type CpqLogoResult = {
  target: string;
  accountId: string;
  /** The logo now set; null after --remove. */
  logo: LogoInfo | null;
  /** With --remove: whether there was a logo to remove. */
  removed?: boolean;
};

export default class CpqLogo extends SfCommand<CpqLogoResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    file: Flags.file({ char: 'f', summary: messages.getMessage('flags.file.summary'), exists: true, exclusive: ['remove'] }),
    remove: Flags.boolean({ summary: messages.getMessage('flags.remove.summary'), exclusive: ['file'] }),
    as: Flags.string({ summary: messages.getMessage('flags.as.summary'), required: true }),
    account: Flags.string({ summary: messages.getMessage('flags.account.summary') }),
  };

  public async run(): Promise<CpqLogoResult> {
    const { flags } = await this.parse(CpqLogo);
    if (!flags.file && !flags.remove) throw new SfError(messages.getMessage('error.NoAction'), 'NO_ACTION', [], 1);
    const { store, target } = await openCommandStore(flags);
    try {
      const as = flags.as.toLowerCase();
      const user = (await store.listUsers()).find((u) => u.id === flags.as || u.email.toLowerCase() === as);
      if (!user) throw new SfError(messages.getMessage('error.UnknownUser', [flags.as, target]), 'UNKNOWN_USER', [], 1);
      const viewer = { userId: user.id, role: user.role, accountId: user.accountId };
      const service = new AccountLogoService(store);
      try {
        if (flags.remove) {
          const { accountId, removed } = await service.removeLogo(viewer, flags.account);
          this.log(messages.getMessage(removed ? 'info.removed' : 'info.none', [accountId, target]));
          return { target, accountId, logo: null, removed };
        }
        let bytes: Buffer;
        try {
          bytes = await readFile(flags.file!);
        } catch (error) {
          throw new SfError(
            messages.getMessage('error.Unreadable', [flags.file!, (error as Error).message]),
            'UNREADABLE',
            [],
            1,
          );
        }
        const logo = await service.setLogo(viewer, bytes, flags.account);
        this.log(messages.getMessage('info.set', [logo.accountId, logo.contentType, String(logo.bytes), target]));
        return { target, accountId: logo.accountId, logo };
      } catch (error) {
        throw cliError(error, messages.getMessages('error.actions'));
      }
    } finally {
      await store.close();
    }
  }
}
