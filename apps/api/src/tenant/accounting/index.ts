export { accountingRoutes } from './routes';
