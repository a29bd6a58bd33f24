// Translates Apex classes into one JavaScript module over scripts/apex-runtime.mjs, so the Apex source itself
// (not a hand port) runs offline: scripts/apex-engine-crosscheck.mjs (the pricing engine), scripts/apex-story.mjs
// and scripts/apex-test.mjs (controllers, services, selectors, tests against the fake org). It covers the subset
// of Apex these classes use and fails loudly on anything else. Parsed with @apexdevtools/apex-parser.
// A test harness: it never ships in the product (docs/APEX-RUNTIME.md).
import { ApexParserFactory } from '@apexdevtools/apex-parser';

// Names the runtime provides (scripts/apex-runtime.mjs `globals`), reachable bare or as System.<Name>.
const SYSTEM_NAMES = new Set([
  'System',
  'Decimal',
  'Integer',
  'Long',
  'Double',
  'Boolean',
  'String',
  'Id',
  'Object',
  'Date',
  'Datetime',
  'Pattern',
  'JSON',
  'Exception',
  'Assert',
  'Limits',
  'UserInfo',
  'Math',
  'Database',
  'Test',
  'Schema',
  'AccessLevel',
  'StatusCode',
  'SObject',
  'Savepoint',
  'AggregateResult',
  'Schedulable',
  'SchedulableContext',
  'DmlException',
  'QueryException',
  'NoAccessException',
  'AuraHandledException',
  'LimitException',
  'TypeException',
  'StringException',
  'MathException',
  'JSONException',
  'NullPointerException',
  'ListException',
  'SObjectException',
  'AssertException',
  'IllegalArgumentException',
  'LoggingLevel',
  'Time',
  'UUID',
  'Crypto',
  'AsyncException',
  'Blob',
  'EncodingUtil',
  'PageReference',
  'Page',
  'ApexPages',
  'Network',
  'Messaging',
  'EmailException',
  'HandledException',
  'InvalidParameterValueException',
]);

const kind = (n) => n.constructor.name.replace(/Context$/, '');
const kids = (n) => n.children ?? [];
const ruleKids = (n) => kids(n).filter((c) => c.children);
const text = (n) => n.getText();
const first = (n, k) => kids(n).find((c) => c.children && kind(c) === k);
const all = (n, k) => kids(n).filter((c) => c.children && kind(c) === k);
const tokens = (n) =>
  kids(n)
    .filter((c) => !c.children)
    .map((c) => text(c).toLowerCase());

function unsupported(n) {
  throw new Error(`apex-transpile: unsupported ${kind(n)}: ${text(n).slice(0, 120)}`);
}

function sharingOf(mods) {
  const m = mods.join(' ');
  if (/without\s*sharing|withoutsharing/.test(m)) return 'without';
  if (/inherited\s*sharing|inheritedsharing/.test(m)) return 'inherited';
  if (/with\s*sharing|withsharing/.test(m)) return 'with';
  return null;
}

/** Class model: name, outer, static/instance fields and methods, inner classes. */
function collectClass(decl, modifiers, outer, src) {
  const name = text(first(decl, 'Id'));
  const ext = kids(decl).findIndex((c) => !c.children && text(c).toLowerCase() === 'extends');
  const superName = ext >= 0 ? text(kids(decl)[ext + 1]) : null;
  const cls = {
    name,
    src,
    jsName: outer ? `${outer.jsName}_${name}` : name,
    outer,
    sharing: sharingOf(modifiers),
    isTestClass: modifiers.includes('@istest'),
    staticFields: [],
    fields: [],
    methods: [],
    ctors: [],
    inner: new Map(),
    superName,
    isException: superName !== null && /Exception$/i.test(superName),
  };
  const body = first(decl, 'ClassBody');
  for (const bd of all(body, 'ClassBodyDeclaration')) {
    const mods = all(bd, 'Modifier').map((m) => text(m).toLowerCase());
    const md = first(bd, 'MemberDeclaration');
    if (!md) {
      if (first(bd, 'Block')) unsupported(bd);
      continue;
    }
    const member = ruleKids(md)[0];
    const isStatic = mods.includes('static');
    switch (kind(member)) {
      case 'FieldDeclaration':
        for (const v of all(first(member, 'VariableDeclarators'), 'VariableDeclarator')) {
          const type = text(first(member, 'TypeRef'));
          const init = ruleKids(v)[1] ?? null;
          const field = { name: text(first(v, 'Id')), type, init: init ? { node: init, type } : null };
          (isStatic ? cls.staticFields : cls.fields).push(field);
        }
        break;
      case 'PropertyDeclaration': {
        // An automatic property ({ get; set; }, { get; private set; }) is a field to the runtime; a property with
        // an accessor body is not supported.
        const accessors = all(member, 'PropertyBlock').map((b) => first(b, 'Getter') ?? first(b, 'Setter'));
        if (accessors.some((a) => a && first(a, 'Block'))) {
          unsupported(member);
        }
        const field = { name: text(first(member, 'Id')), type: text(first(member, 'TypeRef')), init: null };
        (isStatic ? cls.staticFields : cls.fields).push(field);
        break;
      }
      case 'MethodDeclaration':
        cls.methods.push({
          name: text(first(member, 'Id')),
          isStatic,
          isTest: mods.includes('@istest') || mods.includes('testmethod'),
          isTestSetup: mods.includes('@testsetup'),
          node: member,
        });
        break;
      case 'ConstructorDeclaration':
        cls.ctors.push(member);
        break;
      case 'ClassDeclaration': {
        const inner = collectClass(member, mods, cls, src);
        cls.inner.set(inner.name, inner);
        break;
      }
      default:
        unsupported(member);
    }
  }
  return cls;
}

/**
 * sources: Apex class texts. options.sobjects: the SObject type names (custom objects, standard objects, share
 * objects) so that `new Account(...)`, `Account.SObjectType` and `List<Account>` resolve.
 */
export function transpile(sources, runtimeUrl = './apex-runtime.mjs', options = {}) {
  const sobjects = new Set([...(options.sobjects ?? [])].map((s) => s.toLowerCase()));
  const classes = new Map();
  for (const src of sources) {
    const parser = ApexParserFactory.createParser(src);
    const unit = parser.compilationUnit();
    const td = first(unit, 'TypeDeclaration');
    const decl = first(td, 'ClassDeclaration');
    if (!decl) unsupported(td);
    const cls = collectClass(
      decl,
      all(td, 'Modifier').map((m) => text(m).toLowerCase()),
      null,
      src,
    );
    classes.set(cls.name, cls);
  }
  const out = [];
  const statics = [];
  const emitted = new Set();
  const emitClass = (cls) => {
    if (emitted.has(cls)) return;
    // A superclass of our own first (class declarations are not hoisted).
    if (cls.superName && classes.has(cls.superName)) emitClass(classes.get(cls.superName));
    emitted.add(cls);
    out.push(new ClassEmitter(cls, classes, sobjects).emit());
    for (const inner of cls.inner.values()) emitClass(inner);
    for (const inner of cls.inner.values()) out.push(`${cls.jsName}.${inner.name} = ${inner.jsName};`);
    statics.push(cls);
  };
  for (const cls of classes.values()) emitClass(cls);
  // Static initializers after every class exists, in source order; run again by $reset() for each transaction
  // (Apex statics live for one transaction).
  // Apex initialises a class's statics on first use: here, each class after the classes its initialisers name.
  const initsOf = new Map();
  for (const cls of statics) {
    const em = new ClassEmitter(cls, classes, sobjects);
    initsOf.set(
      cls,
      cls.staticFields.map((f) => `  ${cls.jsName}.${f.name} = ${f.init ? em.typed(f.init.node, f.init.type) : 'null'};`),
    );
  }
  const inits = [];
  const done = new Set();
  const visit = (cls) => {
    if (done.has(cls)) return;
    done.add(cls);
    const js = initsOf.get(cls).join('\n');
    for (const other of statics) if (other !== cls && new RegExp(`\\b${other.jsName}\\.`).test(js)) visit(other);
    inits.push(...initsOf.get(cls));
  };
  for (const cls of statics) visit(cls);
  out.push(`export function $reset() {\n${inits.join('\n')}\n}\n$reset();`);
  const meta = [...statics].map(
    (c) =>
      `[${JSON.stringify(c.jsName)}, { cls: ${c.jsName}, name: ${JSON.stringify(c.name)}, isTestClass: ${c.isTestClass}, ` +
      `tests: ${JSON.stringify(c.methods.filter((m) => m.isTest).map((m) => m.name))}, ` +
      `setup: ${JSON.stringify(c.methods.filter((m) => m.isTestSetup).map((m) => m.name))}, ` +
      `params: ${JSON.stringify(Object.fromEntries(c.methods.map((m) => [m.name, paramNames(m.node)])))} }]`,
  );
  out.push(`export const $classes = new Map([\n${meta.join(',\n')}\n]);`);
  return (
    `import * as $ from '${runtimeUrl}';\n` +
    `const { ${[...SYSTEM_NAMES].map((n) => `${n}: $${n}`).join(', ')} } = $.globals;\n` +
    `${out.join('\n')}\nexport { ${[...classes.keys()].join(', ')} };\n`
  );
}

class ClassEmitter {
  constructor(cls, classes, sobjects) {
    this.cls = cls;
    this.classes = classes;
    this.sobjects = sobjects;
    this.scopes = [];
    this.isStatic = false;
    this.tmp = 0;
  }

  /** The sharing a class's queries run with: its own, else its outer class's, else inherited. */
  sharing() {
    for (let c = this.cls; c; c = c.outer) if (c.sharing) return c.sharing;
    return 'inherited';
  }

  emit() {
    const c = this.cls;
    const lines = [];
    const parent = c.superName && this.classes.has(c.superName) ? c.superName : c.isException ? '$.ApexException' : null;
    lines.push(`class ${c.jsName}${parent ? ` extends ${parent}` : ''} {`);
    lines.push(`  constructor(...$args) {`);
    if (parent) lines.push('    super(...$args);');
    this.scopes = [new Set()];
    this.isStatic = false;
    // Apex: an exception class's own fields, then the constructor body; a class's constructors by arity.
    for (const f of c.fields) lines.push(`    this.${f.name} = ${f.init ? this.typed(f.init.node, f.init.type) : 'null'};`);
    if (c.ctors.length > 0 && !c.isException) {
      lines.push(`    this.$init(...$args);`);
    }
    lines.push('  }');
    if (c.ctors.length > 0 && !c.isException) {
      const byArity = new Map();
      for (const ctor of c.ctors) {
        const ps = this.params(ctor);
        if (byArity.has(ps.length)) throw new Error(`apex-transpile: two constructors of ${c.name} with ${ps.length} parameters`);
        byArity.set(ps.length, ctor);
      }
      for (const [n, ctor] of byArity) {
        const ps = this.params(ctor);
        this.scopes = [new Set(ps)];
        this.isStatic = false;
        this.inCtor = true;
        lines.push(`  $init${n}(${ps.join(', ')}) ${this.block(first(ctor, 'Block'), '  ')}`);
        this.inCtor = false;
      }
      lines.push(
        `  $init(...a) { const f = this['$init' + a.length]; if (f) f.apply(this, a); else if (a.length) throw new Error('no constructor of ${c.name} with ' + a.length + ' arguments'); }`,
      );
    }
    const byName = new Map();
    for (const m of c.methods) {
      const key = `${m.isStatic}:${m.name}`;
      if (!byName.has(key)) byName.set(key, []);
      byName.get(key).push(m);
    }
    for (const group of byName.values()) {
      const overloaded = group.length > 1;
      const arities = new Set();
      for (const m of group) {
        const ps = this.params(m.node);
        if (overloaded && arities.has(ps.length))
          throw new Error(`apex-transpile: overloads of ${c.name}.${m.name} with the same arity`);
        arities.add(ps.length);
        this.scopes = [new Set(ps)];
        this.isStatic = m.isStatic;
        const body = first(m.node, 'Block');
        const name = overloaded ? `${m.name}$${ps.length}` : m.name;
        const js = body ? this.block(body, '  ') : '{}';
        lines.push(`  ${m.isStatic ? 'static ' : ''}${name}(${ps.join(', ')}) ${this.methodBody(js)}`);
      }
      if (overloaded) {
        const m = group[0];
        lines.push(
          `  ${m.isStatic ? 'static ' : ''}${m.name}(...a) { const f = this['${m.name}$' + a.length]; if (!f) $.noSignature(${JSON.stringify(c.name)}, '${m.name}', a.length, ${JSON.stringify([...arities])}); return f.apply(this, a); }`,
        );
      }
    }
    lines.push('}');
    // The arities of each method (instance and static): the runtime refuses a call that matches none ($.call).
    const sig = { i: {}, s: {} };
    for (const m of c.methods) (sig[m.isStatic ? 's' : 'i'][m.name] ??= []).push(this.params(m.node).length);
    lines.push(`${c.jsName}.$sig = ${JSON.stringify(sig)};`);
    if (this.sharingRequested()) lines.push(`${c.jsName}.$sharing = ${JSON.stringify(this.sharing())};`);
    return lines.join('\n');
  }

  sharingRequested() {
    return true;
  }

  /** Each method runs with its class's sharing (with / without / inherited from the caller). */
  methodBody(js) {
    return `{ return $.withSharing(${JSON.stringify(this.sharing())}, () => ${js}); }`;
  }

  isSObject(type) {
    return this.sobjects.has(type.toLowerCase()) || /__share$/i.test(type) || type === 'SObject';
  }

  /** A value stored in a variable declared Decimal or Integer takes that type (0 in a Decimal field is a Decimal). */
  typed(node, type) {
    const js = this.expr(node);
    const base = type.replace(/^System\./, '');
    if (base === 'Decimal' || base === 'Integer' || base === 'Long' || base === 'Double')
      return `$.asKind(${js}, '${base === 'Double' ? 'Decimal' : base}')`;
    if (this.isSObject(base)) return `$.toSingle(${js})`;
    if (base === 'Integer[]') return js;
    return js;
  }

  params(node) {
    const list = first(first(node, 'FormalParameters'), 'FormalParameterList');
    return list ? all(list, 'FormalParameter').map((p) => text(first(p, 'Id'))) : [];
  }

  declare(name) {
    this.scopes[this.scopes.length - 1].add(name);
  }

  /**
   * A real Apex compiler refuses a call whose argument count matches no method or constructor of that name
   * ("Method does not exist or incorrect signature", "Constructor not defined"): so does the transpiler, for the
   * calls whose target it knows (unqualified calls, `Type.method(...)`, `new Type(...)`, `this(...)`, `super(...)`).
   */
  signatureError(what, name, n, arities) {
    const takes = arities.size ? `it takes ${[...arities].sort().join(' or ')}` : 'there is none';
    return new Error(
      `apex-transpile: ${what === 'constructor' ? 'Constructor not defined' : 'Method does not exist or incorrect signature'}: ` +
        `${name} with ${n} argument${n === 1 ? '' : 's'} in ${this.cls.name} (${takes})`,
    );
  }

  /** Arities of the methods named `name` in `cls` and its superclasses (statics only when `staticOnly`). */
  aritiesIn(cls, name, staticOnly = false) {
    const out = new Set();
    for (let s = cls; s; s = s.superName ? this.classes.get(s.superName) : null)
      for (const m of s.methods) if (m.name === name && (!staticOnly || m.isStatic)) out.add(this.params(m.node).length);
    return out;
  }

  /** The argument counts `new cls(...)` accepts: its constructors', else the default one; an exception's too. */
  ctorArities(cls) {
    const out = new Set(cls.ctors.map((ctor) => this.params(ctor).length));
    if (cls.ctors.length === 0) out.add(0);
    if (cls.isException) [0, 1, 2].forEach((n) => out.add(n));
    return out;
  }

  typeJsName(dotted) {
    try {
      return this.resolveType(dotted);
    } catch {
      return null;
    }
  }

  /** The class (top-level or inner) a JS name from resolveType stands for, if it is one of ours. */
  classByJsName(jsName) {
    const walk = (c) => (c.jsName === jsName ? c : [...c.inner.values()].map(walk).find(Boolean));
    for (const c of this.classes.values()) {
      const found = walk(c);
      if (found) return found;
    }
    return null;
  }

  isLocal(name) {
    return this.scopes.some((s) => s.has(name));
  }

  /** Which class holds a member: this class, its superclasses, then its outer classes. */
  owner(name, pick) {
    for (let c = this.cls; c; c = c.outer) {
      for (let s = c; s; s = s.superName ? this.classes.get(s.superName) : null)
        if (pick(s).some((m) => m.name === name)) return s;
    }
    return null;
  }

  resolveType(dotted) {
    const clean = dotted.replace(/<.*$/, '').replace(/\[\]$/, '');
    const parts = clean.split('.');
    for (let c = this.cls; c; c = c.outer)
      if (c.inner.has(parts[0])) return [c.inner.get(parts[0]).jsName, ...parts.slice(1)].join('.');
    if (this.classes.has(parts[0])) {
      const top = this.classes.get(parts[0]);
      if (parts.length > 1 && top.inner.has(parts[1])) return [top.inner.get(parts[1]).jsName, ...parts.slice(2)].join('.');
      return clean;
    }
    if (parts[0] === 'System' && parts.length > 1 && SYSTEM_NAMES.has(parts[1]) && parts[1] !== 'System')
      return '$' + parts.slice(1).join('.');
    if (parts[0] === 'Schema' && parts.length > 1 && this.isSObject(parts[1])) parts.shift();
    if (this.isSObject(parts[0])) return [`$.sobjectType(${JSON.stringify(parts[0])})`, ...parts.slice(1)].join('.');
    if (SYSTEM_NAMES.has(parts[0])) return '$' + clean;
    throw new Error(`apex-transpile: unknown type ${dotted} in ${this.cls.name}`);
  }

  block(node, indent) {
    this.scopes.push(new Set());
    const body = all(node, 'Statement').map((s) => this.stmt(s, indent + '  '));
    this.scopes.pop();
    return `{\n${body.join('\n')}\n${indent}}`;
  }

  stmt(node, ind) {
    const s = kind(node) === 'Statement' ? ruleKids(node)[0] : node;
    switch (kind(s)) {
      case 'Block':
        return ind + this.block(s, ind);
      case 'LocalVariableDeclarationStatement':
        return ind + this.localDecl(first(s, 'LocalVariableDeclaration')) + ';';
      case 'ExpressionStatement':
        return ind + this.expr(ruleKids(s)[0]) + ';';
      case 'IfStatement': {
        const [cond, ...branches] = ruleKids(s);
        let out = `${ind}if ($.cond(${this.expr(ruleKids(cond)[0])})) ${this.asBlock(branches[0], ind)}`;
        if (branches[1]) out += ` else ${this.asBlock(branches[1], ind)}`;
        return out;
      }
      case 'ForStatement': {
        const control = first(s, 'ForControl');
        const body = first(s, 'Statement');
        this.scopes.push(new Set());
        let out;
        const enhanced = first(control, 'EnhancedForControl');
        if (enhanced) {
          const name = text(first(enhanced, 'Id'));
          this.declare(name);
          out = `${ind}for (let ${name} of $.iter(${this.expr(ruleKids(enhanced)[2])})) ${this.asBlock(body, ind, true)}`;
        } else {
          const init = first(control, 'ForInit');
          const initJs = init ? this.localDecl(first(init, 'LocalVariableDeclaration')) : '';
          const cond = ruleKids(control).find((c) => !['ForInit', 'ForUpdate'].includes(kind(c)));
          const update = first(control, 'ForUpdate');
          const updateJs = update
            ? ruleKids(first(update, 'ExpressionList'))
                .map((e) => this.expr(e))
                .join(', ')
            : '';
          out = `${ind}for (${initJs}; ${cond ? this.expr(cond) : ''}; ${updateJs}) ${this.asBlock(body, ind, true)}`;
        }
        this.scopes.pop();
        return out;
      }
      case 'RunAsStatement': {
        const args = this.args(first(s, 'ExpressionList'));
        return `${ind}$.runAs(${args.join(', ')}, () => ${this.block(first(s, 'Block'), ind)});`;
      }
      case 'WhileStatement':
        return `${ind}while (${this.expr(ruleKids(first(s, 'ParExpression'))[0])}) ${this.asBlock(first(s, 'Statement'), ind, true)}`;
      case 'DoWhileStatement':
        return `${ind}do ${this.block(first(s, 'Block'), ind)} while (${this.expr(ruleKids(first(s, 'ParExpression'))[0])});`;
      case 'ReturnStatement': {
        const e = ruleKids(s)[0];
        return `${ind}return${e ? ' ' + this.expr(e) : ''};`;
      }
      case 'ThrowStatement':
        return `${ind}throw ${this.expr(ruleKids(s)[0])};`;
      case 'BreakStatement':
        return `${ind}break;`;
      case 'ContinueStatement':
        return `${ind}continue;`;
      case 'InsertStatement':
      case 'UpdateStatement':
      case 'DeleteStatement':
      case 'UndeleteStatement':
      case 'UpsertStatement': {
        const op = kind(s).replace('Statement', '').toLowerCase();
        const access = first(s, 'AccessLevel');
        const mode = access ? (tokens(access).includes('user') ? 'USER_MODE' : 'SYSTEM_MODE') : 'SYSTEM_MODE';
        const target = ruleKids(s).find((c) => kind(c) !== 'AccessLevel' && kind(c) !== 'QualifiedName');
        const field = first(s, 'QualifiedName');
        return `${ind}$.dml(${JSON.stringify(op)}, ${this.expr(target)}, { allOrNone: true, mode: '${mode}', statement: true${field ? `, field: ${JSON.stringify(text(field))}` : ''} });`;
      }
      case 'TryStatement': {
        let out = `${ind}try ${this.block(first(s, 'Block'), ind)}`;
        const catches = all(s, 'CatchClause');
        if (catches.length) {
          const e = `$e${++this.tmp}`;
          out += ` catch (${e}$) {\n${ind}  const ${e} = $.caught(${e}$);`;
          for (const c of catches) {
            const type = this.resolveType(text(first(c, 'QualifiedName')));
            const name = text(first(c, 'Id'));
            this.scopes.push(new Set([name]));
            out += `\n${ind}  if (${e} instanceof ${type}) { const ${name} = ${e}; ${this.block(first(c, 'Block'), ind + '  ')} } else`;
            this.scopes.pop();
          }
          out += ` throw ${e};\n${ind}}`;
        }
        const fin = first(s, 'FinallyBlock');
        if (fin) out += ` finally ${this.block(first(fin, 'Block'), ind)}`;
        return out;
      }
      default:
        return unsupported(s);
    }
  }

  /** A loop body counts one CPU unit per iteration. */
  asBlock(stmt, ind, loop = false) {
    const inner = ruleKids(stmt)[0];
    const tick = loop ? `\n${ind}  $.tick();` : '';
    if (kind(inner) === 'Block') {
      const b = this.block(inner, ind);
      return loop ? `{${tick}${b.slice(1)}` : b;
    }
    return `{${tick}\n${this.stmt(stmt, ind + '  ')}\n${ind}}`;
  }

  localDecl(node) {
    const type = text(first(node, 'TypeRef'));
    const decls = all(first(node, 'VariableDeclarators'), 'VariableDeclarator').map((v) => {
      const name = text(first(v, 'Id'));
      const init = ruleKids(v)[1];
      const js = `${name} = ${init ? this.typed(init, type) : 'null'}`;
      this.declare(name);
      return js;
    });
    return `let ${decls.join(', ')}`;
  }

  args(list) {
    return list ? ruleKids(list).map((e) => this.expr(e)) : [];
  }

  idRef(name) {
    if (this.isLocal(name)) return name;
    const fieldOwner = this.owner(name, (c) => c.fields);
    if (fieldOwner && !this.isStatic) return `this.${name}`;
    const staticOwner = this.owner(name, (c) => c.staticFields);
    if (staticOwner) return `${staticOwner.jsName}.${name}`;
    return this.resolveType(name);
  }

  methodRef(name) {
    const owner = this.owner(name, (c) => c.methods);
    if (!owner) {
      // Methods an exception class inherits (getMessage, setMessage, ...).
      if (this.cls.isException && !this.isStatic) return `this.${name}`;
      throw new Error(`apex-transpile: unknown method ${name} in ${this.cls.name}`);
    }
    const m = owner.methods.find((x) => x.name === name);
    return m.isStatic ? `${owner.jsName}.${name}` : `this.${name}`;
  }

  /** Inline SOQL: the query's source text with its binds as :$0, :$1 ..., evaluated here. */
  soql(p) {
    const q = first(first(p, 'SoqlLiteral'), 'Query');
    const src = this.cls.src;
    const start = q.start.start;
    let out = '';
    let pos = start;
    const binds = [];
    const walk = (n) => {
      if (!n.children) return;
      if (kind(n) === 'BoundExpression') {
        out += src.slice(pos, n.start.start);
        out += `:$${binds.length}`;
        binds.push(this.expr(ruleKids(n)[0]));
        pos = n.stop.stop + 1;
        return;
      }
      for (const c of n.children) walk(c);
    };
    walk(q);
    out += src.slice(pos, q.stop.stop + 1);
    return `$.soql(${JSON.stringify(out.replace(/\s+/g, ' '))}, [${binds.join(', ')}])`;
  }

  expr(node) {
    switch (kind(node)) {
      case 'PrimaryExpression':
        return this.primary(ruleKids(node)[0]);
      case 'SubExpression':
        return `(${this.expr(ruleKids(node)[0])})`;
      case 'Arth1Expression':
      case 'Arth2Expression': {
        const [a, b] = ruleKids(node);
        const op = text(kids(node)[1]);
        const fn = { '+': '$.add', '-': '$.sub', '*': '$.mul', '/': '$.div' }[op];
        if (!fn) unsupported(node);
        return `${fn}(${this.expr(a)}, ${this.expr(b)})`;
      }
      case 'CmpExpression': {
        const [a, b] = ruleKids(node);
        const op = kids(node)
          .filter((c) => !c.children)
          .map(text)
          .join('');
        const fn = { '<': '$.lt', '>': '$.gt', '<=': '$.le', '>=': '$.ge' }[op];
        if (!fn) unsupported(node);
        return `${fn}(${this.expr(a)}, ${this.expr(b)})`;
      }
      case 'EqualityExpression': {
        const [a, b] = ruleKids(node);
        const op = text(kids(node)[1]);
        const e = `$.eq(${this.expr(a)}, ${this.expr(b)})`;
        if (op === '==') return e;
        if (op === '!=' || op === '<>') return `!${e}`;
        if (op === '===') return `$.same(${this.expr(a)}, ${this.expr(b)})`;
        if (op === '!==') return `!$.same(${this.expr(a)}, ${this.expr(b)})`;
        return unsupported(node);
      }
      case 'LogAndExpression':
        return `($.cond(${this.expr(ruleKids(node)[0])}) && $.cond(${this.expr(ruleKids(node)[1])}))`;
      case 'LogOrExpression':
        return `($.cond(${this.expr(ruleKids(node)[0])}) || $.cond(${this.expr(ruleKids(node)[1])}))`;
      case 'NegExpression': {
        const op = text(kids(node)[0]);
        if (op === '!') return `!$.cond(${this.expr(ruleKids(node)[0])})`;
        return unsupported(node);
      }
      case 'PreOpExpression': {
        const op = text(kids(node)[0]);
        if (op === '-') return `$.neg(${this.expr(ruleKids(node)[0])})`;
        if (op === '!') return `!$.cond(${this.expr(ruleKids(node)[0])})`;
        if (op === '++' || op === '--') {
          const target = this.expr(ruleKids(node)[0]);
          return `(${target} = ${op === '++' ? '$.add' : '$.sub'}(${target}, $.int(1)))`;
        }
        return unsupported(node);
      }
      case 'PostOpExpression': {
        const op = text(kids(node)[1]);
        const dot = this.dotTarget(ruleKids(node)[0]);
        if (dot) return `$.postOp(${dot[0]}, '${dot[1]}', ${op === '++' ? 1 : -1})`;
        const target = this.expr(ruleKids(node)[0]);
        const t = `$p${++this.tmp}`;
        return `((${t}) => (${target} = ${op === '++' ? '$.add' : '$.sub'}(${t}, $.int(1)), ${t}))(${target})`;
      }
      case 'CondExpression': {
        const [c, a, b] = ruleKids(node);
        return `($.cond(${this.expr(c)}) ? ${this.expr(a)} : ${this.expr(b)})`;
      }
      case 'CoalExpression': {
        const [a, b] = ruleKids(node);
        return `(${this.expr(a)} ?? ${this.expr(b)})`;
      }
      case 'AssignExpression': {
        const [l, r] = ruleKids(node);
        const op = text(kids(node)[1]);
        if (kind(l) === 'ArrayExpression') {
          const [list, i] = ruleKids(l);
          if (op !== '=') unsupported(node);
          return `$.setAt(${this.expr(list)}, ${this.expr(i)}, ${this.expr(r)})`;
        }
        const fn = { '+=': '$.add', '-=': '$.sub', '*=': '$.mul', '/=': '$.div' }[op];
        if (op !== '=' && !fn) unsupported(node);
        const dot = this.dotTarget(l);
        if (dot) {
          const value = op === '=' ? this.expr(r) : `${fn}($.get(${dot[0]}, '${dot[1]}'), ${this.expr(r)})`;
          return `$.set(${dot[0]}, '${dot[1]}', ${value})`;
        }
        const target = this.expr(l);
        if (op === '=') return `(${target} = ${this.expr(r)})`;
        return `(${target} = ${fn}(${target}, ${this.expr(r)}))`;
      }
      case 'InstanceOfExpression': {
        const [e, t] = ruleKids(node);
        const type = text(t).replace(/<.*$/, '');
        const js = this.instanceType(type);
        return `$.isInstance(${this.expr(e)}, ${js})`;
      }
      case 'CastExpression': {
        const type = text(ruleKids(node)[0]);
        const js = this.expr(ruleKids(node)[1]);
        if (/^(System\.)?(Integer|Decimal|Long|Double|String|Id|Date|Datetime|Boolean)$/.test(type))
          return `$.cast(${js}, '${type.replace('System.', '')}')`;
        if (this.isSObject(type)) return `$.toSingle(${js})`;
        return js;
      }
      case 'DotExpression': {
        const [left, right] = ruleKids(node);
        const safe = tokens(node).includes('?.');
        const leftJs = this.dotLeft(left, kind(right) === 'DotMethodCall');
        if (kind(right) === 'DotMethodCall') {
          const name = text(first(right, 'AnyId'));
          const list = this.args(first(right, 'ExpressionList'));
          const args = list.join(', ');
          const type = this.isTypePath(left) ? this.classByJsName(this.typeJsName(text(left))) : null;
          if (type && !type.isException) {
            const arities = this.aritiesIn(type, name, true);
            if (!arities.has(list.length)) throw this.signatureError('method', `${type.name}.${name}`, list.length, arities);
          }
          if (safe) return `$.safeCall(${leftJs}, '${name}', [${args}])`;
          return `$.call(${leftJs}, '${name}', [${args}])`;
        }
        const name = text(right);
        if (/^\$/.test(leftJs) && !leftJs.startsWith('$.')) return `${leftJs}.${name}`;
        if (this.isTypePath(left)) return `${leftJs}.${name}`;
        return `$.get(${leftJs}, '${name}'${safe ? ', true' : ''})`;
      }
      case 'ArrayExpression': {
        const [l, i] = ruleKids(node);
        return `$.at(${this.expr(l)}, ${this.expr(i)})`;
      }
      case 'MethodCallExpression': {
        const call = ruleKids(node)[0];
        const name = text(kids(call)[0]);
        const list = this.args(first(call, 'ExpressionList'));
        const args = list.join(', ');
        if (name === 'super') {
          const parent = this.cls.superName ? this.classes.get(this.cls.superName) : null;
          if (parent && !this.ctorArities(parent).has(list.length))
            throw this.signatureError('constructor', parent.name, list.length, this.ctorArities(parent));
          return this.cls.isException ? 'undefined' : `super.$init(${args})`;
        }
        if (name === 'this') {
          if (!this.ctorArities(this.cls).has(list.length))
            throw this.signatureError('constructor', this.cls.name, list.length, this.ctorArities(this.cls));
          return `this.$init(${args})`;
        }
        const ref = this.methodRef(name);
        const arities = new Set();
        for (let c = this.cls; c; c = c.outer) this.aritiesIn(c, name).forEach((n) => arities.add(n));
        if (arities.size > 0 && !arities.has(list.length)) throw this.signatureError('method', name, list.length, arities);
        return `${ref}(${args})`;
      }
      case 'NewExpression':
        return this.creator(first(node, 'Creator'));
      default:
        return unsupported(node);
    }
  }

  /** [objectJs, field] when an assignment target is `expr.field` on a value (not a static path). */
  dotTarget(l) {
    if (kind(l) !== 'DotExpression') return null;
    const [left, right] = ruleKids(l);
    if (kind(right) === 'DotMethodCall' || this.isTypePath(left)) return null;
    return [this.dotLeft(left), text(right)];
  }

  /** Whether a dotted expression names a type or a static path (no $.get needed). */
  isTypePath(left) {
    if (kind(left) === 'PrimaryExpression') {
      const p = ruleKids(left)[0];
      if (kind(p) !== 'IdPrimary') return false;
      const name = text(p);
      if (this.isLocal(name)) return false;
      if (this.owner(name, (c) => c.fields) && !this.isStatic) return false;
      if (this.owner(name, (c) => c.staticFields)) return false;
      return true;
    }
    if (kind(left) === 'DotExpression') {
      const [l, r] = ruleKids(left);
      return kind(r) !== 'DotMethodCall' && this.isTypePath(l) && /^[A-Z]/.test(text(r)) && !this.isStaticField(l, r);
    }
    return false;
  }

  isStaticField(l, r) {
    try {
      const type = this.resolveType(text(l));
      const cls = [...this.classes.values()].find((c) => c.jsName === type);
      return cls ? cls.staticFields.some((f) => f.name === text(r)) : false;
    } catch {
      return false;
    }
  }

  dotLeft(left, method = false) {
    // [SELECT ... LIMIT 1].Id: a query used as one record (but [SELECT ...].isEmpty() is the list's).
    if (!method && kind(left) === 'PrimaryExpression' && kind(ruleKids(left)[0]) === 'SoqlPrimary')
      return `$.toSingle(${this.expr(left)})`;
    return this.expr(left);
  }

  instanceType(type) {
    const base = type.replace(/^System\./, '');
    if (
      [
        'String',
        'Boolean',
        'Integer',
        'Long',
        'Decimal',
        'Double',
        'Map',
        'List',
        'Set',
        'Id',
        'Date',
        'Datetime',
        'SObject',
      ].includes(base)
    )
      return `'${base}'`;
    return this.resolveType(type);
  }

  primary(p) {
    switch (kind(p)) {
      case 'IdPrimary':
        return this.idRef(text(p));
      case 'ThisPrimary':
        return 'this';
      case 'SuperPrimary':
        return 'super';
      case 'SoqlPrimary':
        return this.soql(p);
      case 'TypeRefPrimary': {
        const t = text(first(p, 'TypeRef'));
        return `$.typeToken(${JSON.stringify(t)}, ${this.classes.has(t.split('.')[0]) ? this.resolveType(t) : 'null'})`;
      }
      case 'LiteralPrimary': {
        const t = text(p);
        if (t.startsWith("'")) return JSON.stringify(apexString(t));
        if (/^(true|false|null)$/i.test(t)) return t.toLowerCase();
        if (/^\d+L$/i.test(t)) return `$.ApexDecimal.of('${t.slice(0, -1)}', 'Long')`;
        if (/^\d+$/.test(t)) return `$.int(${t})`;
        if (/^\d+(\.\d+)?$/.test(t)) return `$.ApexDecimal.of('${t}')`;
        if (/^\d+(\.\d+)?d$/i.test(t)) return `$.ApexDecimal.of('${t.slice(0, -1)}', 'Decimal')`;
        return unsupported(p);
      }
      default:
        return unsupported(p);
    }
  }

  creator(c) {
    const names = all(first(c, 'CreatedName'), 'IdCreatedNamePair').map((x) => text(first(x, 'AnyId')));
    const base = names[0];
    const rest = ruleKids(c)[1];
    const restKind = rest ? kind(rest) : 'ClassCreatorRest';
    if (restKind === 'ArrayCreatorRest') {
      const init = first(rest, 'ArrayInitializer');
      if (init)
        return `new $.ApexList([${ruleKids(init)
          .map((e) => this.expr(e))
          .join(', ')}])`;
      return 'new $.ApexList()';
    }
    if (base === 'List' || base === 'Set') {
      const cls = base === 'List' ? '$.ApexList' : '$.ApexSet';
      if (restKind === 'SetCreatorRest')
        return `new ${cls}([${ruleKids(rest)
          .map((e) => this.expr(e))
          .join(', ')}])`;
      const args = this.args(first(first(rest, 'Arguments'), 'ExpressionList'));
      if (args.length) return `new ${cls}([...$.iter(${args[0]})])`;
      return `new ${cls}()`;
    }
    if (base === 'Map') {
      if (restKind === 'MapCreatorRest') {
        const pairs = all(rest, 'MapCreatorRestPair').map((pp) => {
          const [k, v] = ruleKids(pp);
          return `[${this.expr(k)}, ${this.expr(v)}]`;
        });
        return `new $.ApexMap([${pairs.join(', ')}])`;
      }
      const args = this.args(first(first(rest, 'Arguments'), 'ExpressionList'));
      if (args.length) return `$.ApexMap.from(${args[0]})`;
      return 'new $.ApexMap()';
    }
    const dotted = names.join('.');
    const sname = dotted.replace(/^Schema\./, '');
    if (this.isSObject(sname)) {
      // new Account(Name = 'x', ...): name = value pairs
      const list = first(first(rest, 'Arguments'), 'ExpressionList');
      const pairs = list
        ? ruleKids(list).map((e) => {
            if (kind(e) !== 'AssignExpression') unsupported(e);
            const [l, r] = ruleKids(e);
            return `[${JSON.stringify(text(l))}, ${this.expr(r)}]`;
          })
        : [];
      return `$.newSObject(${JSON.stringify(sname)}, [${pairs.join(', ')}])`;
    }
    const type = this.resolveType(dotted);
    const args = rest ? this.args(first(first(rest, 'Arguments'), 'ExpressionList')) : [];
    const cls = this.classByJsName(type);
    if (cls && !this.ctorArities(cls).has(args.length))
      throw this.signatureError('constructor', cls.name, args.length, this.ctorArities(cls));
    return `new ${type}(${args.join(', ')})`;
  }
}

function paramNames(node) {
  const list = first(first(node, 'FormalParameters'), 'FormalParameterList');
  return list ? all(list, 'FormalParameter').map((p) => text(first(p, 'Id'))) : [];
}

function apexString(literal) {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e) => {
    if (e[0] === 'u' && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[e] ?? e;
  });
}
