export { ChangePasswordInputSchema, LoginInputSchema, type ChangePasswordInput, type LoginInput } from './auth';
