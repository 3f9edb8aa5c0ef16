export { ChangePasswordInputSchema, LoginInputSchema, type ChangePasswordInput, type LoginInput } from './auth';
export { AgeingAmountsSchema, PayablesAgeingSchema, type AgeingAmountsJson, type PayablesAgeingJson } from './reports';
