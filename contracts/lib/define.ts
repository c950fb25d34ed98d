/**
 * Small builders that keep a module's Msg and query definitions to their logic: the protobuf
 * type (from `defineMessage`) supplies the type URL, codec and strict-decoding schema.
 */
import type { DeepPartial, ProtoMessage } from "../../chain/codec/proto-message.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import type { MsgDefinition, MsgResponse, QueryContext, QueryHandler } from "../types.js";

export function defineMsg<T>(
  type: ProtoMessage<T>,
  impl: Pick<MsgDefinition<T>, "signers" | "validateBasic" | "handle">,
): MsgDefinition<T> {
  return { typeUrl: type.typeUrl, type: type as MsgDefinition<T>["type"], schema: type.schema, ...impl };
}

/** The encoded response of a Msg handler. */
export function respond<R>(type: ProtoMessage<R>, value: DeepPartial<R>): MsgResponse {
  return { typeUrl: type.typeUrl, value: type.toBytes(type.fromPartial(value)) };
}

/**
 * A gRPC-style query handler: decodes the request (bad bytes are an InvalidRequest, never a
 * crash), runs `fn` and encodes its answer.
 */
export function defineQuery<Req, Res>(
  request: ProtoMessage<Req>,
  response: ProtoMessage<Res>,
  fn: (ctx: QueryContext, req: Req) => Promise<DeepPartial<Res>> | DeepPartial<Res>,
): QueryHandler {
  return async (ctx, bytes) => {
    let req: Req;
    try {
      req = request.decode(bytes);
    } catch {
      throw new CodedError(SdkErrors.InvalidRequest, `malformed ${request.typeUrl.slice(1)}`);
    }
    const res = await fn(ctx, req);
    return response.toBytes(response.fromPartial(res));
  };
}
