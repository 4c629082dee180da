import type { PolicyDocument } from '../../shared/policy/iam-policy.js';

/** IAM's resource matching: `*` is any run of characters (slashes included), `?` is one character. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** What API Gateway decides for `arn` under a cached policy: an explicit Deny wins, then any Allow. */
export function iamAllows(policy: PolicyDocument, arn: string): boolean {
  let allowed = false;
  for (const statement of policy.Statement) {
    const matches = statement.Resource.some((resource) => globToRegExp(resource).test(arn));
    if (!matches) continue;
    if (statement.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
