import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConfigError,
  type ConfigFile,
  type ReadFile,
  type ResolvedConfig,
  DEFAULT_MAX_CONFIG_FILE_BYTES,
  endpointEnvVar,
  expandHome,
  guardReadFile,
  nodeReadFile,
  parseConfigFile,
  parseCredentialsFile,
  profileSection,
  resolveConfig,
  serviceConfigKey,
  servicesSection,
  ssoSessionSection
} from '../../src/core/Config.js'
import { fromEnvironment } from '../../src/core/Env.js'
import { main } from '../../src/cli/main.js'
import { fromSSO } from '../../src/auth/sso/fromSSO.js'

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const right = <A>(e: E.Either<ConfigError, A>): A => {
  if (E.isLeft(e)) {
    throw new Error(`expected Right, got ConfigError(${e.left.source}): ${e.left.message}`)
  }
  return e.right
}

const left = <A>(e: E.Either<ConfigError, A>): ConfigError => {
  if (E.isRight(e)) {
    throw new Error('expected Left, got Right')
  }
  return e.left
}

const parse = (text: string): ConfigFile => right(parseConfigFile(text, '/cfg'))

const section = (file: ConfigFile, name: string): ReadonlyMap<string, string> =>
  O.getOrElseW(() => {
    throw new Error(`no profile ${name}`)
  })(profileSection(file, name))

let tmp: string

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-'))
})

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

let counter = 0

/** A fresh home directory with `.aws/config` holding `config` (none if undefined). */
const home = (config: string | undefined): string => {
  const dir = path.join(tmp, `home${counter++}`)
  fs.mkdirSync(path.join(dir, '.aws'), { recursive: true })
  if (config !== undefined) {
    fs.writeFileSync(path.join(dir, '.aws', 'config'), config)
  }
  return dir
}

const resolve = (
  config: string | undefined,
  env: Record<string, string | undefined> = {},
  serviceId = 'SSO',
  readFile: ReadFile = nodeReadFile
): Promise<E.Either<ConfigError, ResolvedConfig>> => resolveConfig({ env, homedir: home(config), serviceId, readFile })()

const ok = async (
  config: string | undefined,
  env: Record<string, string | undefined> = {},
  serviceId = 'SSO'
): Promise<ResolvedConfig> => right(await resolve(config, env, serviceId))

const err = async (
  config: string | undefined,
  env: Record<string, string | undefined> = {},
  serviceId = 'SSO'
): Promise<ConfigError> => left(await resolve(config, env, serviceId))

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

describe('parseConfigFile', () => {
  it('reads default, profile, sso-session and services sections', () => {
    const file = parse(
      [
        '[default]',
        'region = us-east-1',
        '',
        '[profile dev]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Admin',
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1',
        '',
        '[services local]',
        'sso =',
        '  endpoint_url = http://localhost:4566'
      ].join('\n')
    )
    expect(section(file, 'default').get('region')).toBe('us-east-1')
    expect(Object.fromEntries(section(file, 'dev'))).toEqual({
      sso_session: 'corp',
      sso_account_id: '111122223333',
      sso_role_name: 'Admin'
    })
    expect(O.map((s: ReadonlyMap<string, string>) => Object.fromEntries(s))(ssoSessionSection(file, 'corp'))).toEqual(
      O.some({ sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'eu-west-1' })
    )
    expect(ssoSessionSection(file, 'other')).toEqual(O.none)
    expect(profileSection(file, 'corp')).toEqual(O.none)
    const local = servicesSection(file, 'local')
    expect(O.isSome(local) && local.value.get('sso')?.get('endpoint_url')).toBe('http://localhost:4566')
  })

  it('handles comments, blank lines, whitespace and case-sensitive keys', () => {
    const file = parse(
      [
        '# leading comment',
        '; another',
        '  [ profile  dev ]   # header comment',
        '  region=eu-west-1 # inline',
        'output = json ; inline too',
        'Region = EU',
        'url = http://x/#frag',
        'semi = a;b',
        'empty =',
        '\t# indented comment',
        '',
        'tabbed\t=\tvalue\t'
      ].join('\r\n')
    )
    const dev = section(file, 'dev')
    expect(dev.get('region')).toBe('eu-west-1')
    expect(dev.get('output')).toBe('json')
    expect(dev.get('Region')).toBe('EU')
    expect(dev.get('url')).toBe('http://x/#frag')
    expect(dev.get('semi')).toBe('a;b')
    expect(dev.get('empty')).toBe('')
    expect(dev.get('tabbed')).toBe('value')
  })

  it('reads nested sub-properties in profiles and services sections', () => {
    const file = parse(
      [
        '[profile dev]',
        's3 =',
        '  max_concurrent_requests = 20',
        '  addressing_style = path # comment',
        'region = us-west-2',
        '[services my-services]',
        'Elastic Beanstalk =',
        '  endpoint_url = http://eb.local',
        'SSO =',
        '  endpoint_url = http://sso.local',
        'dynamodb = not-nested'
      ].join('\n')
    )
    const dev = section(file, 'dev')
    expect(dev.get('s3.max_concurrent_requests')).toBe('20')
    expect(dev.get('s3.addressing_style')).toBe('path')
    expect(dev.has('s3')).toBe(false)
    expect(dev.get('region')).toBe('us-west-2')
    const svc = servicesSection(file, 'my-services')
    expect(O.isSome(svc)).toBe(true)
    if (O.isSome(svc)) {
      expect([...svc.value.keys()].sort()).toEqual(['elastic_beanstalk', 'sso'])
      expect(svc.value.get('elastic_beanstalk')?.get('endpoint_url')).toBe('http://eb.local')
      expect(svc.value.get('sso')?.get('endpoint_url')).toBe('http://sso.local')
    }
  })

  it('joins continuation lines of a non-empty value', () => {
    const file = parse('[default]\nca_bundle = a\n  b\n\tc\nregion = r')
    expect(section(file, 'default').get('ca_bundle')).toBe('a\nb\nc')
    expect(section(file, 'default').get('region')).toBe('r')
  })

  it('lets [profile default] win over [default], and ignores unknown sections', () => {
    const file = parse('[default]\nregion = a\n[profile default]\nregion = b\n[preview]\ncloudfront = true\n[profile]\nx = 1')
    expect(section(file, 'default').get('region')).toBe('b')
    expect([...file.profiles.keys()]).toEqual(['default'])
    expect(section(parse('[default]\nregion = a'), 'default').get('region')).toBe('a')
  })

  it('merges repeated sections, the later key winning', () => {
    const file = parse('[profile a]\nx = 1\ny = 1\n[profile b]\n[profile a]\ny = 2')
    expect(Object.fromEntries(section(file, 'a'))).toEqual({ x: '1', y: '2' })
  })

  it('reads an empty file, and a BOM', () => {
    expect(parse('').profiles.size).toBe(0)
    expect(section(parse('\uFEFF[default]\nregion = x'), 'default').get('region')).toBe('x')
  })

  it.each([
    ['region = x', 2, 'before any section'],
    ['[default]\nnot a property', 3, "'key = value'"],
    ['[default]\n= value', 3, 'no name'],
    ['[default', 2, "no closing ']'"],
    ['[default] junk', 2, 'after the section header'],
    ['[ ]', 2, 'empty name'],
    ['[default]\ns3 =\n  no equals', 4, 'sub-property'],
    ['[default]\ns3 =\n  = v', 4, 'no name']
  ])('rejects %j with its line number', (body, line, what) => {
    const e = left(parseConfigFile(`# header\n${body}`, '/home/u/.aws/config'))
    expect(e._tag).toBe('ConfigError')
    expect(e.source).toBe('/home/u/.aws/config')
    expect(e.message).toContain(`line ${line}:`)
    expect(e.message).toContain(what)
  })

  it('never puts a value into an error message', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    for (const text of [`[default]\n${secret}`, `${secret} = x`, `[default]\nk =\n  ${secret}`, `[${secret}`]) {
      const e = left(parseConfigFile(text))
      expect(e.message).not.toContain(secret)
      expect(e.source).not.toContain(secret)
    }
  })

  it('never throws, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const r = parseConfigFile(text)
        expect(E.isLeft(r) || E.isRight(r)).toBe(true)
        parseCredentialsFile(text)
      }),
      { numRuns: 2000 }
    )
  })

  it('never throws, on INI-shaped text, and never leaks a value', () => {
    const piece = fc.constantFrom(
      '[',
      ']',
      '=',
      ' ',
      '\t',
      '\n',
      '\r\n',
      '#',
      ';',
      'profile ',
      'services ',
      'sso-session ',
      'default',
      '__proto__',
      'constructor',
      'SECRETVALUE'
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const r = parseConfigFile(pieces.join(''))
        if (E.isLeft(r)) {
          expect(r.left.message).not.toContain('SECRETVALUE')
        }
      }),
      { numRuns: 3000 }
    )
  })
})

describe('parseCredentialsFile', () => {
  it('takes every section name literally as a profile', () => {
    const file = right(
      parseCredentialsFile(
        '[default]\naws_access_key_id = AKID\n[dev]\naws_secret_access_key = s # c\n[profile x]\na = b\n[sso-session y]\nc = d'
      )
    )
    expect([...file.profiles.keys()]).toEqual(['default', 'dev', 'profile x', 'sso-session y'])
    expect(section(file, 'dev').get('aws_secret_access_key')).toBe('s')
    expect(file.ssoSessions.size).toBe(0)
    expect(file.services.size).toBe(0)
  })
})

describe('names', () => {
  it('normalises service ids', () => {
    expect(serviceConfigKey('SSO')).toBe('sso')
    expect(serviceConfigKey('API Gateway')).toBe('api_gateway')
    expect(endpointEnvVar('SSO')).toBe('AWS_ENDPOINT_URL_SSO')
    expect(endpointEnvVar('Elastic Beanstalk')).toBe('AWS_ENDPOINT_URL_ELASTIC_BEANSTALK')
    expect(endpointEnvVar('neptune-graph')).toBe('AWS_ENDPOINT_URL_NEPTUNE_GRAPH')
  })

  it('expands ~ against the given home directory', () => {
    expect(expandHome('~/x/config', '/h')).toBe(path.join('/h', 'x/config'))
    expect(expandHome('~', '/h')).toBe('/h')
    expect(expandHome('~other/x', '/h')).toBe('~other/x')
    expect(expandHome('/abs/~/x', '/h')).toBe('/abs/~/x')
  })
})

// -------------------------------------------------------------------------------------
// nodeReadFile
// -------------------------------------------------------------------------------------

describe('nodeReadFile', () => {
  it('reads a file, maps a missing one to None, and other failures to ConfigError', async () => {
    const p = path.join(tmp, 'read.txt')
    fs.writeFileSync(p, 'hello')
    expect(await nodeReadFile(p)()).toEqual(E.right(O.some('hello')))
    expect(await nodeReadFile(path.join(tmp, 'nope'))()).toEqual(E.right(O.none))
    expect(await nodeReadFile(path.join(p, 'under-a-file'))()).toEqual(E.right(O.none))
    const e = left(await nodeReadFile(tmp)()) // a directory
    expect(e.source).toBe(tmp)
    expect(e.message).toContain('not a regular file')
  })
})

// -------------------------------------------------------------------------------------
// resolveConfig
// -------------------------------------------------------------------------------------

describe('resolveConfig: files and profiles', () => {
  it('a missing config file is fine', async () => {
    const r = await ok(undefined)
    expect(r).toEqual({
      profile: 'default',
      region: undefined,
      endpoint: undefined,
      useFIPS: undefined,
      useDualStack: undefined,
      maxAttempts: undefined,
      configFile: { profiles: new Map(), ssoSessions: new Map(), services: new Map() }
    })
  })

  it('reads <homedir>/.aws/config and the default profile', async () => {
    const r = await ok('[default]\nregion = eu-central-1\n[profile dev]\nregion = ap-south-1')
    expect(r.profile).toBe('default')
    expect(r.region).toBe('eu-central-1')
    expect(O.isSome(profileSection(r.configFile, 'dev'))).toBe(true)
  })

  it('uses AWS_PROFILE', async () => {
    const r = await ok('[default]\nregion = eu-central-1\n[profile dev]\nregion = ap-south-1', { AWS_PROFILE: 'dev' })
    expect(r.profile).toBe('dev')
    expect(r.region).toBe('ap-south-1')
  })

  it('a missing named profile is an error; a missing default one is not', async () => {
    const e = await err('[profile dev]\nregion = x', { AWS_PROFILE: 'prod' })
    expect(e.source).toBe('AWS_PROFILE')
    expect(e.message).toContain('prod')
    expect(left(await resolve(undefined, { AWS_PROFILE: 'prod' })).source).toBe('AWS_PROFILE')
    expect((await ok('[profile dev]\nregion = x')).region).toBeUndefined()
    expect((await ok('[profile dev]\nregion = x', { AWS_PROFILE: '' })).profile).toBe('default')
  })

  it('uses AWS_CONFIG_FILE, expanding ~ against homedir', async () => {
    const h = home('[default]\nregion = from-default-path')
    fs.writeFileSync(path.join(h, 'custom.ini'), '[default]\nregion = from-custom')
    const run = (p: string) =>
      resolveConfig({ env: { AWS_CONFIG_FILE: p }, homedir: h, serviceId: 'SSO', readFile: nodeReadFile })()
    expect(right(await run('~/custom.ini')).region).toBe('from-custom')
    expect(right(await run(path.join(h, 'custom.ini'))).region).toBe('from-custom')
    expect(right(await run('~/missing.ini')).region).toBeUndefined()
    const empty = resolveConfig({ env: { AWS_CONFIG_FILE: '' }, homedir: h, serviceId: 'SSO', readFile: nodeReadFile })
    expect(right(await empty()).region).toBe('from-default-path')
  })

  it('asks readFile for the expected path, and passes its errors through', async () => {
    const asked: Array<string> = []
    const readFile: ReadFile = (p) => {
      asked.push(p)
      return TE.left({ _tag: 'ConfigError', message: 'boom', source: p })
    }
    const h = path.join(tmp, 'nowhere')
    const r = await resolveConfig({ env: {}, homedir: h, serviceId: 'SSO', readFile })()
    expect(asked).toEqual([path.join(h, '.aws', 'config')])
    expect(r).toEqual(E.left({ _tag: 'ConfigError', message: 'boom', source: path.join(h, '.aws', 'config') }))
  })

  it('a parse error names the config file and the line', async () => {
    const h = home('[default]\nregion = x\ngarbage')
    const e = left(await resolveConfig({ env: {}, homedir: h, serviceId: 'SSO', readFile: nodeReadFile })())
    expect(e.source).toBe(path.join(h, '.aws', 'config'))
    expect(e.message).toContain('line 3')
  })
})

describe('resolveConfig: region', () => {
  const cfg = '[default]\nregion = from-profile'
  it('AWS_REGION > AWS_DEFAULT_REGION > profile region', async () => {
    expect((await ok(cfg, { AWS_REGION: 'a', AWS_DEFAULT_REGION: 'b' })).region).toBe('a')
    expect((await ok(cfg, { AWS_DEFAULT_REGION: 'b' })).region).toBe('b')
    expect((await ok(cfg, {})).region).toBe('from-profile')
  })
  it('empty environment variables count as unset', async () => {
    expect((await ok(cfg, { AWS_REGION: '', AWS_DEFAULT_REGION: '' })).region).toBe('from-profile')
    expect((await ok(cfg, { AWS_REGION: '', AWS_DEFAULT_REGION: 'b' })).region).toBe('b')
  })
})

describe('resolveConfig: endpoints', () => {
  const cfg = [
    '[default]',
    'services = local',
    'endpoint_url = http://profile-global',
    '[profile bare]',
    'endpoint_url = http://bare-global',
    '[profile dangling]',
    'services = nope',
    '[services local]',
    'sso =',
    '  endpoint_url = http://services-sso',
    'sso_oidc =',
    '  endpoint_url = http://services-oidc'
  ].join('\n')
  const all = {
    AWS_ENDPOINT_URL_SSO: 'http://env-sso',
    AWS_ENDPOINT_URL: 'http://env-global'
  }

  it('AWS_ENDPOINT_URL_<SERVICE> comes first', async () => {
    expect((await ok(cfg, all)).endpoint).toBe('http://env-sso')
  })
  it('then the services section of the profile', async () => {
    expect((await ok(cfg, { AWS_ENDPOINT_URL: 'http://env-global' })).endpoint).toBe('http://services-sso')
    expect((await ok(cfg, {}, 'SSO OIDC')).endpoint).toBe('http://services-oidc')
  })
  it('then AWS_ENDPOINT_URL', async () => {
    expect((await ok(cfg, { AWS_ENDPOINT_URL: 'http://env-global' }, 'STS')).endpoint).toBe('http://env-global')
    expect((await ok(cfg, { AWS_ENDPOINT_URL: 'http://env-global', AWS_PROFILE: 'bare' })).endpoint).toBe(
      'http://env-global'
    )
  })
  it('then the profile endpoint_url', async () => {
    expect((await ok(cfg, {}, 'STS')).endpoint).toBe('http://profile-global')
    expect((await ok(cfg, { AWS_PROFILE: 'bare' })).endpoint).toBe('http://bare-global')
    expect((await ok(undefined)).endpoint).toBeUndefined()
  })
  it('uses the service id with spaces and dashes in the variable name', async () => {
    expect((await ok(undefined, { AWS_ENDPOINT_URL_SSO_OIDC: 'https://oidc.test' }, 'SSO OIDC')).endpoint).toBe(
      'https://oidc.test'
    )
    expect((await ok(undefined, { AWS_ENDPOINT_URL_NEPTUNE_GRAPH: 'https://ng.test' }, 'neptune-graph')).endpoint).toBe(
      'https://ng.test'
    )
  })
  it('empty endpoint variables count as unset', async () => {
    expect((await ok(cfg, { AWS_ENDPOINT_URL_SSO: '', AWS_ENDPOINT_URL: '' })).endpoint).toBe('http://services-sso')
  })
  it('a services reference to a missing section is an error naming the file', async () => {
    const e = await err(cfg, { AWS_PROFILE: 'dangling' })
    expect(e.source.endsWith(path.join('.aws', 'config'))).toBe(true)
    expect(e.message).toContain('nope')
  })

  describe('ignore_configured_endpoint_urls', () => {
    it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true drops every configured endpoint', async () => {
      expect((await ok(cfg, { ...all, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).endpoint).toBeUndefined()
      expect((await ok(cfg, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' })).endpoint).toBeUndefined()
    })
    it('the profile setting drops them too', async () => {
      const ignoring = `${cfg}\n[profile ign]\nignore_configured_endpoint_urls = True\nservices = nope\nendpoint_url = x`
      expect((await ok(ignoring, { ...all, AWS_PROFILE: 'ign' })).endpoint).toBeUndefined()
    })
    it('false keeps them; the variable wins over the profile', async () => {
      expect((await ok(cfg, { ...all, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' })).endpoint).toBe('http://env-sso')
      const ignoring = `[default]\nignore_configured_endpoint_urls = true\nendpoint_url = http://p`
      expect((await ok(ignoring, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' })).endpoint).toBe('http://p')
      expect((await ok(ignoring, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: '' })).endpoint).toBeUndefined()
    })
    it('a bad value is an error naming the variable', async () => {
      const e = await err(cfg, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'yes' })
      expect(e.source).toBe('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')
      expect(e.message).not.toContain('yes')
    })
  })

  it.each(['not a url', 'ftp://host', 'localhost:4566', 'http://', 'https://exa mple.com', '   '])(
    'rejects the endpoint %j, naming its source',
    async (bad) => {
      const e = await err(undefined, { AWS_ENDPOINT_URL_SSO: bad })
      expect(e.source).toBe('AWS_ENDPOINT_URL_SSO')
      expect(e.message).toContain('AWS_ENDPOINT_URL_SSO')
      if (bad.trim() !== '') {
        expect(e.message).not.toContain(bad)
      }
      expect((await err(undefined, { AWS_ENDPOINT_URL: bad })).source).toBe('AWS_ENDPOINT_URL')
      if (bad.trim() !== '') {
        const h = home(`[default]\nendpoint_url = ${bad}`)
        const fromFile = left(await resolveConfig({ env: {}, homedir: h, serviceId: 'SSO', readFile: nodeReadFile })())
        expect(fromFile.source).toBe(path.join(h, '.aws', 'config'))
        expect(fromFile.message).toContain('endpoint_url')
      }
    }
  )

  it('rejects a bad services-section endpoint, naming the file and key', async () => {
    const e = await err('[default]\nservices = s\n[services s]\nsso =\n  endpoint_url = nope')
    expect(e.source.endsWith('config')).toBe(true)
    expect(e.message).toContain('endpoint_url')
    expect(e.message).toContain("'sso'")
  })

  it('does not validate endpoints it does not use', async () => {
    expect((await ok('[default]\nendpoint_url = nope', { AWS_ENDPOINT_URL: 'https://ok.test' })).endpoint).toBe(
      'https://ok.test'
    )
  })
})

describe('resolveConfig: booleans', () => {
  it.each([
    ['AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint', 'useFIPS'],
    ['AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint', 'useDualStack']
  ] as const)('%s > profile %s', async (envName, key, field) => {
    expect((await ok(undefined))[field]).toBeUndefined()
    expect((await ok(undefined, { [envName]: 'true' }))[field]).toBe(true)
    expect((await ok(undefined, { [envName]: 'FALSE' }))[field]).toBe(false)
    expect((await ok(undefined, { [envName]: 'True' }))[field]).toBe(true)
    expect((await ok(`[default]\n${key} = TRUE`))[field]).toBe(true)
    expect((await ok(`[default]\n${key} = true`, { [envName]: 'false' }))[field]).toBe(false)
    expect((await ok(`[default]\n${key} = true`, { [envName]: '' }))[field]).toBe(true)
    for (const bad of ['1', 'yes', 'on', 'truee']) {
      const e = await err(undefined, { [envName]: bad })
      expect(e.source).toBe(envName)
      expect(e.message).toContain(envName)
    }
    const fromFile = await err(`[default]\n${key} = 1`)
    expect(fromFile.source.endsWith('config')).toBe(true)
    expect(fromFile.message).toContain(key)
  })
})

describe('resolveConfig: max attempts', () => {
  it('AWS_MAX_ATTEMPTS > profile max_attempts', async () => {
    expect((await ok(undefined)).maxAttempts).toBeUndefined()
    expect((await ok('[default]\nmax_attempts = 5')).maxAttempts).toBe(5)
    expect((await ok('[default]\nmax_attempts = 5', { AWS_MAX_ATTEMPTS: '2' })).maxAttempts).toBe(2)
    expect((await ok('[default]\nmax_attempts = 5', { AWS_MAX_ATTEMPTS: '' })).maxAttempts).toBe(5)
  })
  it.each(['0', '-1', '1.5', 'three', '1e3', '0x10', '99999999999999999999'])(
    'rejects %j, naming the source',
    async (bad) => {
      const e = await err(undefined, { AWS_MAX_ATTEMPTS: bad })
      expect(e.source).toBe('AWS_MAX_ATTEMPTS')
      expect(e.message).toContain('AWS_MAX_ATTEMPTS')
      const fromFile = await err(`[default]\nmax_attempts = ${bad}`)
      expect(fromFile.message).toContain('max_attempts')
    }
  )
})

describe('resolveConfig: SSO profile lookups', () => {
  it('exposes the sso settings of a profile and its session', async () => {
    const r = await ok(
      [
        '[profile dev]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = ReadOnly',
        '[profile legacy]',
        'sso_start_url = https://legacy.awsapps.com/start',
        'sso_region = us-east-1',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1'
      ].join('\n'),
      { AWS_PROFILE: 'dev' }
    )
    const dev = section(r.configFile, 'dev')
    const session = O.chain((name: string) => ssoSessionSection(r.configFile, name))(O.fromNullable(dev.get('sso_session')))
    expect(O.map((s: ReadonlyMap<string, string>) => s.get('sso_region'))(session)).toEqual(O.some('eu-west-1'))
    expect(section(r.configFile, 'legacy').get('sso_start_url')).toBe('https://legacy.awsapps.com/start')
  })
})

// -------------------------------------------------------------------------------------
// hostile config files: a FIFO, a device, a directory, a huge file
// -------------------------------------------------------------------------------------

describe('config files that are not small regular files', () => {
  let fifo: string
  beforeAll(() => {
    fifo = path.join(tmp, 'config.fifo')
    execFileSync('mkfifo', [fifo])
  })
  afterAll(() => {
    // Release any reader stuck on the FIFO (a regression would leave one in the thread pool).
    try {
      fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK))
    } catch {
      // no reader: nothing to release
    }
  })

  /** Resolves to the outcome, or to 'hung' if it takes more than 10 s (a fail, not a wait). */
  const bounded = <A>(p: Promise<A>): Promise<A | 'hung'> => {
    let timer: NodeJS.Timeout | undefined
    const hung = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), 10_000)
    })
    return Promise.race([p, hung]).finally(() => clearTimeout(timer))
  }

  const configErrorOf = (r: E.Either<unknown, unknown> | 'hung', file: string): ConfigError => {
    expect(r).not.toBe('hung')
    if (r === 'hung' || E.isRight(r)) throw new Error(`expected a ConfigError, got ${JSON.stringify(r)}`)
    const e = r.left as ConfigError
    expect(e._tag).toBe('ConfigError')
    expect(e.source).toBe(file)
    return e
  }

  it('a FIFO: nodeReadFile, resolveConfig and fromEnvironment answer at once with a ConfigError', async () => {
    expect(configErrorOf(await bounded(nodeReadFile(fifo)()), fifo).message).toContain('not a regular file')
    const env = { AWS_CONFIG_FILE: fifo }
    configErrorOf(await bounded(resolveConfig({ env, homedir: tmp, serviceId: 'SSO', readFile: nodeReadFile })()), fifo)
    configErrorOf(await bounded(fromEnvironment({ env, homedir: tmp })()), fifo)
  }, 30_000)

  it('a FIFO as ~/.aws/config: fromSSO answers at once with a ConfigError', async () => {
    const h = path.join(tmp, 'fifo-home')
    fs.mkdirSync(path.join(h, '.aws'), { recursive: true })
    execFileSync('mkfifo', [path.join(h, '.aws', 'config')])
    try {
      configErrorOf(await bounded(fromSSO({ profile: 'dev', homedir: h, env: {} })()), path.join(h, '.aws', 'config'))
    } finally {
      fs.rmSync(path.join(h, '.aws', 'config'))
    }
  }, 30_000)

  it('a FIFO as AWS_CONFIG_FILE: `fp-aws sso logout --dry-run` exits 1 at once and names the file', async () => {
    let err = ''
    const code = await bounded(
      main(['sso', 'logout', '--dry-run'], {
        stdout: () => undefined,
        stderr: (s) => void (err += s),
        env: { HOME: tmp, AWS_CONFIG_FILE: fifo }
      })
    )
    expect(code).toBe(1)
    expect(err).toContain(fifo)
  }, 30_000)

  it('/dev/urandom and /dev/zero: a ConfigError at once, and the process does not grow', async () => {
    const before = process.memoryUsage().rss
    for (const dev of ['/dev/urandom', '/dev/zero']) {
      expect(configErrorOf(await bounded(nodeReadFile(dev)()), dev).message).toContain('not a regular file')
      configErrorOf(await bounded(fromEnvironment({ env: { AWS_CONFIG_FILE: dev }, homedir: tmp })()), dev)
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024)
  }, 30_000)

  it('a directory is a ConfigError naming it', async () => {
    const e = configErrorOf(await bounded(nodeReadFile(tmp)()), tmp)
    expect(e.message).toContain('not a regular file')
  })

  it(`a file over ${DEFAULT_MAX_CONFIG_FILE_BYTES} bytes is a ConfigError; one at the limit is read`, async () => {
    const big = path.join(tmp, 'big.ini')
    fs.writeFileSync(big, '')
    fs.truncateSync(big, DEFAULT_MAX_CONFIG_FILE_BYTES + 1)
    const e = configErrorOf(await bounded(nodeReadFile(big)()), big)
    expect(e.message).toContain(`larger than ${DEFAULT_MAX_CONFIG_FILE_BYTES} bytes`)
    expect(e.message).not.toContain('\0')
    fs.truncateSync(big, DEFAULT_MAX_CONFIG_FILE_BYTES)
    const r = await nodeReadFile(big)()
    expect(E.isRight(r) && O.isSome(r.right) && r.right.value.length).toBe(DEFAULT_MAX_CONFIG_FILE_BYTES)
    fs.rmSync(big)
  })

  it('the error never holds the content of the file', async () => {
    const bad = path.join(tmp, 'latin1.ini')
    fs.writeFileSync(bad, Buffer.from('[default]\naws_secret = s\xe9cret-value\n', 'latin1'))
    const e = configErrorOf(await nodeReadFile(bad)(), bad)
    expect(e.message).not.toContain('cret-value')
    expect(e.message).toContain('UTF-8')
  })

  it('a symbolic link to a config file is followed (dotfile managers link ~/.aws/config)', async () => {
    const target = path.join(tmp, 'linked.ini')
    fs.writeFileSync(target, '[default]\nregion = eu-north-1\n')
    const link = path.join(tmp, 'link.ini')
    fs.symlinkSync(target, link)
    expect(await nodeReadFile(link)()).toEqual(E.right(O.some('[default]\nregion = eu-north-1\n')))
  })
})

describe('the emulator seed file is read like a config file', () => {
  it('a FIFO or a device as --seed: exit 2 at once, naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-aws-seed-'))
    const fifo = path.join(dir, 'seed.fifo')
    execFileSync('mkfifo', [fifo])
    try {
      for (const file of [fifo, '/dev/zero']) {
        let err = ''
        const stop = new AbortController()
        const run = main(['sso', 'emulator', '--port', '0', '--seed', file], {
          stdout: () => stop.abort(),
          stderr: (s) => void (err += s),
          env: {},
          signal: stop.signal
        })
        let timer: NodeJS.Timeout | undefined
        const code = await Promise.race([run, new Promise((r) => (timer = setTimeout(() => r('hung'), 10_000)))])
        clearTimeout(timer)
        expect(code).toBe(2)
        expect(err).toBe(`fp-aws: cannot read the seed file ${file}: it is not a regular file\n`)
      }
    } finally {
      try {
        fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK))
      } catch {
        // no reader left
      }
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

describe('guardReadFile: a readFile that answers a rejected promise instead of a task', () => {
  it('is a ConfigError, and the rejection it returned is handled (no unhandled rejection)', async () => {
    const unhandled: Array<unknown> = []
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      // what a JavaScript caller may pass: an async function where `(path) => () => Promise<Either>` is expected
      const hostile = (async () => Promise.reject(new Error('hostile async callback'))) as unknown as ReadFile
      const r = await guardReadFile(hostile)('/cfg')()
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ConfigError', source: '/cfg' } })
      // let Node report a rejection that nothing handled, if there is one
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
