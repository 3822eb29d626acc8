import { randomUUID } from 'node:crypto';

/**
 * The flow webhooks the sandbox sends to a flow's webhook URL (the cabinet's setting): `technology.start`
 * when a technology becomes the person's current step, `technology.end` when it is passed or failed, with
 * the shape Kezek assumes (docs/kyc.md): `{id, event, session_id, created, success, flow_name, metadata, data}`.
 * Pure: no Nest, no database.
 */
export interface FlowWebhookBody {
  id: string;
  event: 'technology.start' | 'technology.end';
  session_id: string;
  created: string;
  success: boolean | null;
  flow_name: string;
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
}

export function flowWebhook(
  event: FlowWebhookBody['event'],
  session: { id: string; metadata: Record<string, unknown> },
  flowName: string,
  technology: string,
  at: Date,
  success: boolean | null = null,
): FlowWebhookBody {
  // The metadata as the session keeps it (photo1 is stored apart and never sent back).
  return { id: randomUUID(), event, session_id: session.id, created: at.toISOString(), success, flow_name: flowName, metadata: session.metadata, data: { technology } };
}
