// Validates server→client messages against the published AsyncAPI contract (test/fixtures/agent.asyncapi.yaml,
// copied from ElevenLabs' public `@elevenlabs/types` repository under its MIT licence).
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

interface AsyncApi {
  channels: { AgentMessages: { publish: { message: { oneOf: { $ref: string }[] } } } };
  components: {
    messages: Record<string, { payload: { $ref: string } }>;
    schemas: Record<string, { properties?: { type?: { const?: string } } }>;
  };
}

/** OpenAPI's `nullable: true` (also next to `$ref`, which Ajv refuses) as plain JSON Schema. */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const doc = withoutNullable(
  parse(readFileSync(new URL('./fixtures/agent.asyncapi.yaml', import.meta.url), 'utf8')),
) as AsyncApi;
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'asyncapi', components: doc.components }, 'asyncapi');

/** One validator per server message `type`, from the contract's publish channel. */
const validators = new Map<string, ValidateFunction>();
for (const { $ref } of doc.channels.AgentMessages.publish.message.oneOf) {
  const payloadRef = doc.components.messages[$ref.split('/').pop()!]!.payload.$ref;
  const schemaName = payloadRef.split('/').pop()!;
  const type = doc.components.schemas[schemaName]?.properties?.type?.const;
  if (type) validators.set(type, ajv.compile({ $ref: `asyncapi#/components/schemas/${schemaName}` }));
}

/** Contract violations of one message the server sent (empty when it conforms). */
export function contractErrors(message: unknown): string[] {
  const type = (message as { type?: unknown })?.type;
  const validate = typeof type === 'string' ? validators.get(type) : undefined;
  if (!validate) return [`no message of type ${JSON.stringify(type)} in the contract`];
  if (validate(message)) return [];
  return (validate.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message}`);
}

export const contractTypes = () => [...validators.keys()];
