/**
 * ESLint rule `ccr/cast-has-reason`: every type assertion (`x as T`, `<T>x`) carries a one-line reason, a comment
 * on the line where its type is written or on the line just above it (a doc comment does not count: it describes the
 * declaration). `as const` needs none: it widens nothing.
 *
 * No published rule does this: `@typescript-eslint/consistent-type-assertions` can only forbid casts or allow them.
 */
const DIRECTIVE = /^\s*(eslint|@ts-|global\s|istanbul|prettier-ignore)/;

/** @type {import('eslint').Rule.RuleModule} */
const castHasReason = {
  meta: {
    type: 'suggestion',
    docs: { description: 'require a one-line reason (a comment) beside every type assertion' },
    messages: { noReason: 'Type assertion to `{{type}}` without a reason: add a comment on this line or the line above saying why it holds.' },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    const reasonLines = new Set();
    for (const comment of source.getAllComments()) {
      if (DIRECTIVE.test(comment.value) || comment.value.replace(/[*\s]/g, '') === '') continue;
      // A doc comment (`/** … */`) describes the declaration below it, not a cast in it.
      if (comment.type === 'Block' && comment.value.startsWith('*')) continue;
      reasonLines.add(comment.loc.end.line);
      if (comment.type === 'Line') reasonLines.add(comment.loc.start.line);
    }
    const check = (node) => {
      const ann = node.typeAnnotation;
      if (ann.type === 'TSTypeReference' && ann.typeName.type === 'Identifier' && ann.typeName.name === 'const') return;
      // A chain `x as unknown as T` is one cast: the outer one speaks for the inner.
      if (node.parent && (node.parent.type === 'TSAsExpression' || node.parent.type === 'TSTypeAssertion')) return;
      const line = ann.loc.start.line;
      if (reasonLines.has(line) || reasonLines.has(line - 1) || reasonLines.has(ann.loc.end.line)) return;
      context.report({ node: ann, messageId: 'noReason', data: { type: source.getText(ann).slice(0, 60) } });
    };
    return { TSAsExpression: check, TSTypeAssertion: check };
  },
};

module.exports = { castHasReason };
