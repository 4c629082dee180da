/** An error in Cognito's JSON protocol: the SDK turns `__type` into an exception of that name. */
export class CognitoFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}
