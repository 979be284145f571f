import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
// The rule is plain CommonJS so that ESLint's config and this test load the same file.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a .cjs module with no type declarations
const { castHasReason } = require('../../scripts/eslint/cast-has-reason.cjs') as { castHasReason: Parameters<RuleTester['run']>[1] }; // the module exports this one rule object

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const noReason = (type: string) => ({ messageId: 'noReason', data: { type } });

tester.run('ccr/cast-has-reason', castHasReason, {
  valid: [
    { code: 'const a = [1, 2] as const;' },
    { code: 'const a = x as Hex; // addressToBytes32 answers 0x + 64 hex digits' },
    { code: '// the schema parsed it above\nconst a = x as Config;' },
    { code: '/* one block comment also says why */\nconst a = x as Config;' },
    { code: 'const a = x as unknown as Registry; // only get() is used' },
    { code: 'const a = <Config>x; // the old syntax needs a reason too' },
    { code: 'const a = f({\n  b: 1,\n}) as Config; // f returns the input it was given' },
  ],
  invalid: [
    { code: 'const a = x as Hex;', errors: [noReason('Hex')] },
    { code: 'const a = <Config>x;', errors: [noReason('Config')] },
    { code: 'const a = x as unknown as Registry;', errors: [noReason('Registry')] },
    { code: '/** The config. */\nconst a = x as Config;', errors: [noReason('Config')] },
    { code: '// eslint-disable-next-line no-console\nconst a = x as Config;', errors: [noReason('Config')] },
    { code: '//\nconst a = x as Config;', errors: [noReason('Config')] },
    { code: '// unrelated, two lines up\n\nconst a = x as Config;', errors: [noReason('Config')] },
  ],
});
