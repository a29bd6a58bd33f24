// Translates the Apex classes of the pricing engine into one JavaScript module over scripts/apex-runtime.mjs,
// so scripts/apex-engine-crosscheck.mjs can run the Apex source itself (not a hand port) offline. It covers the
// subset of Apex those classes use and fails loudly on anything else. Parsed with @apexdevtools/apex-parser.
import { ApexParserFactory } from '@apexdevtools/apex-parser';

const SYSTEM_NAMES = new Set([
  'System',
  'Decimal',
  'Integer',
  'String',
  'Date',
  'Pattern',
  'JSON',
  'Exception',
  'Assert',
  'Limits',
  'UserInfo',
  'Math',
]);

const kind = (n) => n.constructor.name.replace(/Context$/, '');
const kids = (n) => n.children ?? [];
const ruleKids = (n) => kids(n).filter((c) => c.children);
const text = (n) => n.getText();
const first = (n, k) => kids(n).find((c) => c.children && kind(c) === k);
const all = (n, k) => kids(n).filter((c) => c.children && kind(c) === k);

function unsupported(n) {
  throw new Error(`apex-transpile: unsupported ${kind(n)}: ${text(n).slice(0, 120)}`);
}

/** Class model: name, outer, static/instance fields and methods, inner classes. */
function collectClass(decl, modifiers, outer) {
  const name = text(first(decl, 'Id'));
  const cls = {
    name,
    jsName: outer ? `${outer.jsName}_${name}` : name,
    outer,
    staticFields: [],
    fields: [],
    methods: [],
    ctor: null,
    inner: new Map(),
    isException: /extends\s*Exception/i.test(kids(decl).map(text).join(' ')) || kids(decl).some((c) => text(c) === 'extends'),
  };
  const body = first(decl, 'ClassBody');
  for (const bd of all(body, 'ClassBodyDeclaration')) {
    const mods = all(bd, 'Modifier').map((m) => text(m).toLowerCase());
    const member = first(first(bd, 'MemberDeclaration'), 'FieldDeclaration')
      ? first(first(bd, 'MemberDeclaration'), 'FieldDeclaration')
      : ruleKids(first(bd, 'MemberDeclaration'))[0];
    const isStatic = mods.includes('static');
    switch (kind(member)) {
      case 'FieldDeclaration':
        for (const v of all(first(member, 'VariableDeclarators'), 'VariableDeclarator')) {
          const field = { name: text(first(v, 'Id')), init: ruleKids(v)[1] ?? null, type: text(first(member, 'TypeRef')) };
          field.init = field.init ? { node: field.init, type: field.type } : null;
          (isStatic ? cls.staticFields : cls.fields).push(field);
        }
        break;
      case 'MethodDeclaration':
        cls.methods.push({ name: text(first(member, 'Id')), isStatic, isTest: mods.includes('@istest'), node: member });
        break;
      case 'ConstructorDeclaration':
        cls.ctor = member;
        break;
      case 'ClassDeclaration': {
        const inner = collectClass(member, mods, cls);
        cls.inner.set(inner.name, inner);
        break;
      }
      default:
        unsupported(member);
    }
  }
  void modifiers;
  return cls;
}

export function transpile(sources, runtimeUrl = './apex-runtime.mjs') {
  const classes = new Map();
  for (const src of sources) {
    const parser = ApexParserFactory.createParser(src);
    const unit = parser.compilationUnit();
    const td = first(unit, 'TypeDeclaration');
    const decl = first(td, 'ClassDeclaration');
    const cls = collectClass(decl, all(td, 'Modifier').map(text), null);
    classes.set(cls.name, cls);
  }
  const out = [];
  const statics = [];
  const emitClass = (cls) => {
    out.push(new ClassEmitter(cls, classes).emit());
    for (const inner of cls.inner.values()) emitClass(inner);
    for (const inner of cls.inner.values()) out.push(`${cls.jsName}.${inner.name} = ${inner.jsName};`);
    statics.push(cls);
  };
  for (const cls of classes.values()) emitClass(cls);
  // Static initializers after every class exists, in source order (PricingCurrencies and PricingMoney first).
  for (const cls of statics) {
    const em = new ClassEmitter(cls, classes);
    for (const f of cls.staticFields)
      out.push(`${cls.jsName}.${f.name} = ${f.init ? em.typed(f.init.node, f.init.type) : 'null'};`);
  }
  return `import * as $ from '${runtimeUrl}';\nconst { ${[...SYSTEM_NAMES].map((n) => `${n}: $${n}`).join(', ')} } = $.globals;\n${out.join('\n')}\nexport { ${[...classes.keys()].join(', ')} };\n`;
}

class ClassEmitter {
  constructor(cls, classes) {
    this.cls = cls;
    this.classes = classes;
    this.scopes = [];
    this.isStatic = false;
  }

  emit() {
    const c = this.cls;
    const lines = [];
    lines.push(`class ${c.jsName}${c.isException ? ' extends $.ApexException' : ''} {`);
    const params = c.ctor ? this.params(c.ctor) : [];
    lines.push(`  constructor(${params.join(', ')}) {`);
    if (c.isException) lines.push('    super(...arguments);');
    this.scopes = [new Set(params)];
    this.isStatic = false;
    for (const f of c.fields) lines.push(`    this.${f.name} = ${f.init ? this.typed(f.init.node, f.init.type) : 'null'};`);
    if (c.ctor) lines.push(this.block(first(c.ctor, 'Block'), '    '));
    lines.push('  }');
    for (const m of c.methods) {
      const ps = this.params(m.node);
      this.scopes = [new Set(ps)];
      this.isStatic = m.isStatic;
      lines.push(`  ${m.isStatic ? 'static ' : ''}${m.name}(${ps.join(', ')}) ${this.block(first(m.node, 'Block'), '  ')}`);
    }
    lines.push('}');
    return lines.join('\n');
  }

  /** A value stored in a variable declared Decimal or Integer takes that type (0 in a Decimal field is a Decimal). */
  typed(node, type) {
    const js = this.expr(node);
    return type === 'Decimal' || type === 'Integer' ? `$.asKind(${js}, '${type}')` : js;
  }

  params(node) {
    const list = first(first(node, 'FormalParameters'), 'FormalParameterList');
    return list ? all(list, 'FormalParameter').map((p) => text(first(p, 'Id'))) : [];
  }

  declare(name) {
    this.scopes[this.scopes.length - 1].add(name);
  }

  isLocal(name) {
    return this.scopes.some((s) => s.has(name));
  }

  /** Which class holds a member: this class, then its outer classes. */
  owner(name, pick) {
    for (let c = this.cls; c; c = c.outer) if (pick(c).some((m) => m.name === name)) return c;
    return null;
  }

  resolveType(dotted) {
    const parts = dotted.split('.');
    for (let c = this.cls; c; c = c.outer)
      if (c.inner.has(parts[0])) return [c.inner.get(parts[0]).jsName, ...parts.slice(1)].join('.');
    if (this.classes.has(parts[0])) return dotted;
    if (SYSTEM_NAMES.has(parts[0])) return '$' + dotted;
    throw new Error(`apex-transpile: unknown type ${dotted}`);
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
        let out = `${ind}if (${this.expr(ruleKids(cond)[0])}) ${this.asBlock(branches[0], ind)}`;
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
          out = `${ind}for (let ${name} of ${this.expr(ruleKids(enhanced)[2])}) ${this.asBlock(body, ind)}`;
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
          out = `${ind}for (${initJs}; ${cond ? this.expr(cond) : ''}; ${updateJs}) ${this.asBlock(body, ind)}`;
        }
        this.scopes.pop();
        return out;
      }
      case 'RunAsStatement':
        return ind + this.block(first(s, 'Block'), ind);
      case 'WhileStatement':
        return `${ind}while (${this.expr(ruleKids(first(s, 'ParExpression'))[0])}) ${this.asBlock(first(s, 'Statement'), ind)}`;
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
      case 'TryStatement': {
        let out = `${ind}try ${this.block(first(s, 'Block'), ind)}`;
        const catches = all(s, 'CatchClause');
        if (catches.length) {
          out += ` catch ($e) {`;
          for (const c of catches) {
            const type = this.resolveType(text(first(c, 'QualifiedName')));
            const name = text(first(c, 'Id'));
            this.scopes.push(new Set([name]));
            out += `\n${ind}  if ($e instanceof ${type}) { const ${name} = $e; ${this.block(first(c, 'Block'), ind + '  ')} } else`;
            this.scopes.pop();
          }
          out += ` throw $e;\n${ind}}`;
        }
        return out;
      }
      default:
        return unsupported(s);
    }
  }

  asBlock(stmt, ind) {
    const inner = ruleKids(stmt)[0];
    if (kind(inner) === 'Block') return this.block(inner, ind);
    return `{\n${this.stmt(stmt, ind + '  ')}\n${ind}}`;
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
    if (fieldOwner === this.cls && !this.isStatic) return `this.${name}`;
    const staticOwner = this.owner(name, (c) => c.staticFields);
    if (staticOwner) return `${staticOwner.jsName}.${name}`;
    return this.resolveType(name);
  }

  methodRef(name) {
    const owner = this.owner(name, (c) => c.methods);
    if (!owner) throw new Error(`apex-transpile: unknown method ${name} in ${this.cls.name}`);
    const m = owner.methods.find((x) => x.name === name);
    return m.isStatic ? `${owner.jsName}.${name}` : `this.${name}`;
  }

  /** A dotted type/static path (PricingScenario.Party, System.RoundingMode.HALF_UP) as JS. */
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
        const fn = { '+': '$.add', '-': '$.sub', '*': '$.mul' }[op];
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
        if (op === '!=') return `!${e}`;
        return unsupported(node);
      }
      case 'LogAndExpression':
        return `(${this.expr(ruleKids(node)[0])} && ${this.expr(ruleKids(node)[1])})`;
      case 'LogOrExpression':
        return `(${this.expr(ruleKids(node)[0])} || ${this.expr(ruleKids(node)[1])})`;
      case 'NegExpression': {
        const op = text(kids(node)[0]);
        if (op === '!') return `!(${this.expr(ruleKids(node)[0])})`;
        return unsupported(node);
      }
      case 'PreOpExpression': {
        const op = text(kids(node)[0]);
        if (op === '-') return `$.neg(${this.expr(ruleKids(node)[0])})`;
        if (op === '!') return `!(${this.expr(ruleKids(node)[0])})`;
        return unsupported(node);
      }
      case 'PostOpExpression': {
        const target = this.expr(ruleKids(node)[0]);
        const op = text(kids(node)[1]);
        return `(${target} = ${op === '++' ? '$.add' : '$.sub'}(${target}, $.int(1)))`;
      }
      case 'CondExpression': {
        const [c, a, b] = ruleKids(node);
        return `(${this.expr(c)} ? ${this.expr(a)} : ${this.expr(b)})`;
      }
      case 'AssignExpression': {
        const [l, r] = ruleKids(node);
        const target = this.expr(l);
        const op = text(kids(node)[1]);
        if (op === '=') return `(${target} = ${this.expr(r)})`;
        const fn = { '+=': '$.add', '-=': '$.sub' }[op];
        if (!fn) unsupported(node);
        return `(${target} = ${fn}(${target}, ${this.expr(r)}))`;
      }
      case 'InstanceOfExpression': {
        const [e, t] = ruleKids(node);
        const type = text(first(t, 'TypeName')).replace(/<.*$/, '');
        return `$.isInstance(${this.expr(e)}, '${type}')`;
      }
      case 'CastExpression':
        return this.expr(ruleKids(node)[1]);
      case 'DotExpression': {
        const [left, right] = ruleKids(node);
        if (kind(right) === 'DotMethodCall') {
          const name = text(first(right, 'AnyId'));
          return `$.call(${this.expr(left)}, '${name}', [${this.args(first(right, 'ExpressionList')).join(', ')}])`;
        }
        return `${this.expr(left)}.${text(right)}`;
      }
      case 'ArrayExpression': {
        const [l, i] = ruleKids(node);
        return `$.at(${this.expr(l)}, ${this.expr(i)})`;
      }
      case 'MethodCallExpression': {
        const call = ruleKids(node)[0];
        const name = text(kids(call)[0]);
        if (name === 'super') return 'undefined';
        return `${this.methodRef(name)}(${this.args(first(call, 'ExpressionList')).join(', ')})`;
      }
      case 'NewExpression':
        return this.creator(first(node, 'Creator'));
      default:
        return unsupported(node);
    }
  }

  primary(p) {
    switch (kind(p)) {
      case 'IdPrimary':
        return this.idRef(text(p));
      case 'ThisPrimary':
        return 'this';
      case 'SoqlPrimary':
        return `$.soql(${JSON.stringify(text(p))})`;
      case 'LiteralPrimary': {
        const t = text(p);
        if (t.startsWith("'")) return JSON.stringify(apexString(t));
        if (/^(true|false|null)$/i.test(t)) return t.toLowerCase();
        if (/^\d+L$/i.test(t)) return `$.ApexDecimal.of('${t.slice(0, -1)}', 'Long')`;
        if (/^\d+(\.\d+)?$/.test(t)) return `$.ApexDecimal.of('${t}')`;
        return unsupported(p);
      }
      default:
        return unsupported(p);
    }
  }

  creator(c) {
    const pair = first(first(c, 'CreatedName'), 'IdCreatedNamePair');
    const names = all(first(c, 'CreatedName'), 'IdCreatedNamePair').map((x) => text(first(x, 'AnyId')));
    const base = names[0];
    const rest = ruleKids(c)[1];
    const restKind = rest ? kind(rest) : 'ClassCreatorRest';
    if (base === 'List' || base === 'Set') {
      const cls = base === 'List' ? '$.ApexList' : '$.ApexSet';
      if (restKind === 'SetCreatorRest')
        return `new ${cls}([${ruleKids(rest)
          .map((e) => this.expr(e))
          .join(', ')}])`;
      const args = this.args(first(first(rest, 'Arguments'), 'ExpressionList'));
      if (args.length) return `new ${cls}([...${args[0]}])`;
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
      return 'new $.ApexMap()';
    }
    void pair;
    if (base === 'User') return '({})';
    const type = this.resolveType(names.join('.'));
    const args = rest ? this.args(first(first(rest, 'Arguments'), 'ExpressionList')) : [];
    return `new ${type}(${args.join(', ')})`;
  }
}

function apexString(literal) {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e) => {
    if (e[0] === 'u' && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[e] ?? e;
  });
}
