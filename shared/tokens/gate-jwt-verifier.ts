import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { decomposeJwt } from './decompose-jwt.js';

/**
 * JwtVerifier with one change: the token is decomposed by decomposeJwt, which refuses what the library's own
 * decomposition would quietly accept (and skips its JSON reviver, which costs more than the parse). The rest of
 * getVerifyParameters is the library's, line for line; key lookup, signature and claim checks are untouched.
 * test/unit/tokens/gate-jwt-verifier.test.ts pins decomposeJwt to the library's decomposeUnverifiedJwt.
 */
// biome-ignore lint/suspicious/noExplicitAny: the library's own generic defaults; claims are typed where they are read
export class GateJwtVerifier extends JwtVerifier<any, any, true> {
  protected override getVerifyParameters(jwt: string, verifyProperties?: Record<string, unknown>) {
    const decomposedJwt = decomposeJwt(jwt);
    const issuerConfig = this.getIssuerConfig(decomposedJwt.payload.iss);
    return { decomposedJwt, jwksUri: issuerConfig.jwksUri, verifyProperties: { ...issuerConfig, ...verifyProperties } };
  }
}
